package dev.marginal.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;

/**
 * Writes one Iceberg table as its compaction would leave it: one Parquet data file per partition
 * (a new file only when {@link #roll()} is called, at each partition change), all committed in one
 * append at the end — the shape of a table after {@code optimize} and snapshot expiry, through the
 * same Iceberg Java writer the Flink sink uses, with the table's own schema, spec and properties.
 */
final class TableWriter implements AutoCloseable {

    private final Table table;
    private final GenericAppenderFactory appenders;
    private final OutputFileFactory files;
    private final PartitionKey key;
    private final GenericRecord record;
    private final InternalRecordWrapper internal;
    private final List<DataFile> written = new ArrayList<>();
    private DataWriter<Record> current;
    private long rows;

    TableWriter(Table table, List<String> expectedColumns, int taskId) {
        List<String> columns = table.schema().columns().stream().map(Types.NestedField::name).toList();
        if (!columns.equals(expectedColumns)) {
            throw new IllegalStateException(table.name() + " has columns " + columns + ", the loader writes " + expectedColumns);
        }
        this.table = table;
        this.appenders = new GenericAppenderFactory(table.schema(), table.spec()).setAll(table.properties());
        this.files = OutputFileFactory.builderFor(table, 1, taskId).format(FileFormat.PARQUET).build();
        this.key = new PartitionKey(table.spec(), table.schema());
        this.record = GenericRecord.create(table.schema());
        this.internal = new InternalRecordWrapper(table.schema().asStruct());
    }

    /** The record to fill by position before each {@link #write()}; reused, as the writer copies values out. */
    GenericRecord record() {
        return record;
    }

    void write() {
        if (current == null) {
            key.partition(internal.wrap(record)); // partition transforms read Iceberg's internal values
            current = appenders.newDataWriter(files.newOutputFile(table.spec(), key.copy()), FileFormat.PARQUET, key.copy());
        }
        current.write(record);
        rows++;
    }

    /** Ends the current file: the next row starts a new one (in its own partition). */
    void roll() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written.add(current.toDataFile());
            current = null;
        }
    }

    long rows() {
        return rows;
    }

    List<DataFile> files() {
        return written;
    }

    /** Closes the last file and commits every file in one snapshot. */
    void commit() {
        roll();
        AppendFiles append = table.newAppend();
        written.forEach(append::appendFile);
        append.set("marginal.bench", "scale data set (bench/scale)");
        append.commit();
    }

    @Override
    public void close() {
        roll();
    }
}
