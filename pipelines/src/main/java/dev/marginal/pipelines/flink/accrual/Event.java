package dev.marginal.pipelines.flink.accrual;

import java.time.Instant;
import org.apache.flink.table.data.RowData;

/** What accrual reads of a {@code raw.events} row ({@code RawEvent}'s field order), and its form while it waits in state. */
record Event(String id, String organizationId, String customerId, String externalCustomerId, String name, String source,
             Instant timestamp, String metadata) {

    static Event of(RowData row) {
        return new Event(row.getString(0).toString(), row.getString(1).toString(), string(row, 2), string(row, 3),
                row.getString(5).toString(), string(row, 8), row.getTimestamp(6, 6).toInstant(), string(row, 7));
    }

    /** Compact JSON holds no raw line break, so the metadata can go last, whole. */
    String encode() {
        return String.join("\n", id, organizationId, nullable(customerId), nullable(externalCustomerId), name,
                nullable(source), timestamp.toString(), nullable(metadata));
    }

    static Event decode(String s) {
        String[] f = s.split("\n", 8);
        return new Event(f[0], f[1], blank(f[2]), blank(f[3]), f[4], blank(f[5]), Instant.parse(f[6]), blank(f[7]));
    }

    private static String string(RowData row, int i) {
        return row.isNullAt(i) ? null : row.getString(i).toString();
    }

    private static String nullable(String s) {
        return s == null ? "" : s;
    }

    private static String blank(String s) {
        return s.isEmpty() ? null : s;
    }
}
