package dev.marginal.pipelines.dayclose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Closes days of one table partitioned by {@code day}: every data file of a past day is replaced, in
 * one Iceberg {@code RewriteFiles} commit, by files holding the same figures laid out as
 * {@link ClosedLayout} says (deltas merged per key, rows sorted by organisation, small row groups).
 *
 * <p>Why: the raw-events job appends one delta per key and checkpoint, and at a 2 s checkpoint a
 * delta is nearly one row per event, so the "rollup" the margin views sum would be as long as the
 * event stream; and every file of a day holds every organisation, so a query for one organisation
 * reads all of them. After the close a day has one row per key, in organisation order, which Trino
 * skips by Parquet row-group statistics.
 *
 * <p>Safe beside the job: the commit validates against the snapshot the rows were read from and
 * replaces exactly the files read. A late event appended meanwhile lands in a new file of the day
 * (untouched here, closed next time); if another writer replaced one of the files first (compaction),
 * the commit fails, nothing changes, and the day is closed again on the next round. Readers see either
 * the old files or the new ones, never both: the sums a view computes are the same before and after.
 */
public final class DayCloser {

    /** What closing one day did. */
    public record Closed(LocalDate day, int filesBefore, long rowsBefore, int filesAfter, long rowsAfter) {
    }

    /**
     * A closed day's files carry this in their names: a day whose files all do needs no close. It
     * names the layout: files of an earlier layout (marked {@code -day-close-} alone, one file per
     * day) are closed again once, into this one.
     */
    static final String FILE_MARK = "-day-close-v2-";
    /** Row groups this size let a reader skip other organisations' rows within a day's file. */
    static final long ROW_GROUP_BYTES = 1L << 20;
    /**
     * A file ends at the first change of organisation after this many rows, so each file holds whole
     * organisations (but one bigger than {@link #ROWS_PER_FILE}) and its {@code organization_id}
     * bounds in the Iceberg manifest let a query for one organisation skip every other file of the
     * day at planning — no split, no footer read — instead of reading row groups it shares with
     * its neighbours.
     */
    static final long ORGANISATION_FILE_ROWS = 8_192;
    /** Rows per file at most: one organisation's day bigger than this is split, still in sort order. */
    static final long ROWS_PER_FILE = 2_000_000;

    private final Table table;
    private final ClosedLayout layout;

    public DayCloser(Table table, ClosedLayout layout) {
        this.table = table;
        this.layout = layout;
    }

    /** Past days (before {@code today}) holding any file not written by a day close, oldest first. */
    public List<LocalDate> daysToClose(LocalDate today) {
        table.refresh();
        Snapshot snapshot = table.currentSnapshot();
        if (snapshot == null) {
            return List.of();
        }
        Map<LocalDate, Boolean> open = new TreeMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId())
                .filter(Expressions.lessThan("day", today.toString())).planFiles()) {
            for (FileScanTask task : tasks) {
                LocalDate day = LocalDate.ofEpochDay(task.file().partition().get(0, Integer.class));
                boolean unclosed = !task.file().location().contains(FILE_MARK) || !task.deletes().isEmpty();
                open.merge(day, unclosed, Boolean::logicalOr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }

    /** Closes one day: {@link #prepare} then {@link Prepared#commit}. */
    public Optional<Closed> close(LocalDate day) {
        return prepare(day).map(Prepared::commit);
    }

    /**
     * Reads the day at the current snapshot and writes its closed files, not yet committed; empty
     * when the day has no files or has delete files (row-level deletes are not ours to fold in:
     * they are left to the table's maintenance).
     */
    public Optional<Prepared> prepare(LocalDate day) {
        table.refresh();
        Snapshot snapshot = table.currentSnapshot();
        if (snapshot == null) {
            return Optional.empty();
        }
        Expression theDay = Expressions.equal("day", day.toString());
        List<DataFile> before = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId()).filter(theDay).planFiles()) {
            for (FileScanTask task : tasks) {
                if (!task.deletes().isEmpty()) {
                    return Optional.empty();
                }
                before.add(task.file());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (before.isEmpty()) {
            return Optional.empty();
        }
        List<Record> rows;
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).where(theDay).build()) {
            rows = new DayRollup(table.schema(), layout).roll(read);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(new Prepared(day, snapshot.snapshotId(), before, write(rows, day), rows.size()));
    }

    /** A day's closed files, written, waiting to replace the files they were read from. */
    public final class Prepared {
        private final LocalDate day;
        private final long readSnapshot;
        private final List<DataFile> before;
        private final List<DataFile> after;
        private final long rowsAfter;

        private Prepared(LocalDate day, long readSnapshot, List<DataFile> before, List<DataFile> after, long rowsAfter) {
            this.day = day;
            this.readSnapshot = readSnapshot;
            this.before = before;
            this.after = after;
            this.rowsAfter = rowsAfter;
        }

        /**
         * One commit replacing exactly the files read; fails (and deletes the files it wrote) when
         * one of them is no longer live, e.g. compaction replaced it since.
         */
        public Closed commit() {
            RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(readSnapshot);
            before.forEach(rewrite::deleteFile);
            after.forEach(rewrite::addFile);
            rewrite.set("marginal.day-close", day.toString());
            try {
                rewrite.commit();
            } catch (RuntimeException e) {
                after.forEach(f -> table.io().deleteFile(f.location()));
                throw e;
            }
            long rowsBefore = before.stream().mapToLong(DataFile::recordCount).sum();
            return new Closed(day, before.size(), rowsBefore, after.size(), rowsAfter);
        }
    }

    private List<DataFile> write(List<Record> rows, LocalDate day) {
        Map<String, String> properties = new HashMap<>(table.properties());
        properties.put(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(ROW_GROUP_BYTES));
        GenericAppenderFactory appenders = new GenericAppenderFactory(table.schema(), table.spec()).setAll(properties);
        OutputFileFactory files = OutputFileFactory.builderFor(table, (int) day.toEpochDay(), 0)
                .operationId(FILE_MARK.substring(1) + UUID.randomUUID())
                .format(FileFormat.PARQUET).build();
        InternalRecordWrapper internal = new InternalRecordWrapper(table.schema().asStruct());
        List<DataFile> written = new ArrayList<>();
        DataWriter<Record> writer = null;
        long inFile = 0;
        Object organisation = null;
        try {
            for (Record row : rows) {
                Object rowOrganisation = row.getField("organization_id");
                if (writer != null && inFile >= ORGANISATION_FILE_ROWS && !rowOrganisation.equals(organisation)) {
                    writer.close();
                    written.add(writer.toDataFile());
                    writer = null;
                    inFile = 0;
                }
                organisation = rowOrganisation;
                if (writer == null) {
                    PartitionKey key = new PartitionKey(table.spec(), table.schema());
                    key.partition(internal.wrap(row)); // partition transforms read Iceberg's internal values
                    writer = appenders.newDataWriter(files.newOutputFile(table.spec(), key), FileFormat.PARQUET, key);
                }
                writer.write(row);
                if (++inFile == ROWS_PER_FILE) {
                    writer.close();
                    written.add(writer.toDataFile());
                    writer = null;
                    inFile = 0;
                }
            }
            if (writer != null) {
                writer.close();
                written.add(writer.toDataFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }
}
