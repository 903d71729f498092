package dev.marginal.pipelines.dayclose;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/** Tests' stand-in for the raw-events job's commits: rows appended as one checkpoint would append them, and a day's files. */
public final class Checkpoints {

    private static final AtomicLong TASK = new AtomicLong();

    private Checkpoints() {
    }

    /** One commit, one file per day touched, as a checkpoint of the job appends. */
    public static void append(Table table, Record... rows) throws IOException {
        Map<LocalDate, List<Record>> byDay = new TreeMap<>();
        int dayPosition = table.schema().columns().indexOf(table.schema().findField("day"));
        for (Record r : rows) {
            byDay.computeIfAbsent((LocalDate) r.get(dayPosition), d -> new ArrayList<>()).add(r);
        }
        AppendFiles append = table.newAppend();
        for (List<Record> day : byDay.values()) {
            append.appendFile(write(table, day));
        }
        append.commit();
    }

    /** One data file of {@code rows} (all of one partition), not committed. */
    public static DataFile write(Table table, List<Record> rows) throws IOException {
        OutputFileFactory files = OutputFileFactory.builderFor(table, 1, TASK.incrementAndGet()).format(FileFormat.PARQUET).build();
        PartitionKey key = new PartitionKey(table.spec(), table.schema());
        key.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(rows.get(0)));
        DataWriter<Record> writer = new GenericAppenderFactory(table.schema(), table.spec())
                .newDataWriter(files.newOutputFile(table.spec(), key), FileFormat.PARQUET, key);
        try (writer) {
            rows.forEach(writer::write);
        }
        return writer.toDataFile();
    }

    /** The live data files of {@code day}, at the table's newest snapshot. */
    public static List<DataFile> files(Table table, LocalDate day) throws IOException {
        table.refresh();
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(Expressions.equal("day", day.toString())).planFiles()) {
            tasks.forEach(t -> files.add(t.file()));
        }
        return files;
    }
}
