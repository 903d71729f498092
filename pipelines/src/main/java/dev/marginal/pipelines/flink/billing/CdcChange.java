package dev.marginal.pipelines.flink.billing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * One change of a billing-core row, as {@code raw.cdc_changes} stores it.
 *
 * @param data the row as JSON text (after the change; before it, for a delete)
 */
public record CdcChange(String table, String id, String organizationId, String op, Long lsn, Instant committedAt,
                        String data) {

    public static final String DELETE = "d";

    public RowData toRowData() {
        GenericRowData row = new GenericRowData(7);
        row.setField(0, StringData.fromString(table));
        row.setField(1, StringData.fromString(id));
        row.setField(2, organizationId == null ? null : StringData.fromString(organizationId));
        row.setField(3, StringData.fromString(op));
        row.setField(4, lsn);
        row.setField(5, committedAt == null ? null : TimestampData.fromInstant(committedAt.truncatedTo(ChronoUnit.MICROS)));
        row.setField(6, StringData.fromString(data));
        return row;
    }

    public static CdcChange of(RowData row) {
        return new CdcChange(
                row.getString(0).toString(),
                row.getString(1).toString(),
                row.isNullAt(2) ? null : row.getString(2).toString(),
                row.getString(3).toString(),
                row.isNullAt(4) ? null : row.getLong(4),
                row.isNullAt(5) ? null : row.getTimestamp(5, 6).toInstant(),
                row.getString(6).toString());
    }

    public CdcChange withOrganization(String organization) {
        return new CdcChange(table, id, organization, op, lsn, committedAt, data);
    }

    /**
     * The de-duplication key: a redelivered change has the same table, key, WAL position and op;
     * a later change of the same row has a later position.
     */
    public static String dedupKey(RowData row) {
        return row.getString(0) + "/" + row.getString(1) + "/" + (row.isNullAt(4) ? "" : row.getLong(4)) + "/" + row.getString(3);
    }
}
