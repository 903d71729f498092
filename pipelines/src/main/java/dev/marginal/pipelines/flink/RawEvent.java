package dev.marginal.pipelines.flink;

import java.time.Instant;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * One row of {@code marginal.raw.events}: the {@code events} row as PostgreSQL committed it,
 * plus where in the WAL it came from. Field order is {@link RawEventsTable#SCHEMA}'s: {@code traceId}
 * is last because it was added last (a column added to an existing Iceberg table goes at the end).
 */
public record RawEvent(
        String id,
        String organizationId,
        String customerId,
        String externalCustomerId,
        String externalId,
        String name,
        Instant timestamp,
        String metadata,
        String source,
        Instant ingestedAt,
        String cdcOp,
        Long cdcLsn,
        Instant cdcTs,
        String traceId) {

    public RowData toRowData() {
        GenericRowData row = new GenericRowData(14);
        row.setField(0, str(id));
        row.setField(1, str(organizationId));
        row.setField(2, str(customerId));
        row.setField(3, str(externalCustomerId));
        row.setField(4, str(externalId));
        row.setField(5, str(name));
        row.setField(6, ts(timestamp));
        row.setField(7, str(metadata));
        row.setField(8, str(source));
        row.setField(9, ts(ingestedAt));
        row.setField(10, str(cdcOp));
        row.setField(11, cdcLsn);
        row.setField(12, ts(cdcTs));
        row.setField(13, str(traceId));
        return row;
    }

    /** The de-duplication key of a row built by {@link #toRowData()}. */
    public static String idOf(RowData row) {
        return row.getString(0).toString();
    }

    /** {@code ingested_at} of a row built by {@link #toRowData()}, in epoch microseconds. */
    public static long ingestedAtMicrosOf(RowData row) {
        TimestampData ts = row.getTimestamp(9, 6);
        return ts.getMillisecond() * 1000 + ts.getNanoOfMillisecond() / 1000;
    }

    private static StringData str(String s) {
        return s == null ? null : StringData.fromString(s);
    }

    private static TimestampData ts(Instant i) {
        return i == null ? null : TimestampData.fromInstant(i);
    }
}
