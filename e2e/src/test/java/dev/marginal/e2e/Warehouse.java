package dev.marginal.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/** Questions the tests ask of Trino, waiting for the pipelines where an answer arrives over time. */
public final class Warehouse {

    private final SharedStack stack;

    public Warehouse(SharedStack stack) {
        this.stack = stack;
    }

    /** Polls a {@code count(*)}-style query with one organisation-id parameter until it satisfies {@code done}. */
    public long awaitCount(String sql, String organizationId, LongPredicate done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            last = count(sql, organizationId);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        return last;
    }

    public long count(String sql, String organizationId) throws SQLException {
        try (Connection trino = stack.trino(); PreparedStatement statement = trino.prepareStatement(sql)) {
            statement.setString(1, organizationId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * Polls {@code sql} (one organisation-id parameter) until its rows are there and satisfy
     * {@code done}; returns them, or fails naming the query and the last rows it saw.
     */
    public List<Map<String, String>> awaitRows(String sql, String organizationId,
                                               Predicate<List<Map<String, String>>> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map<String, String>> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = rows(sql, organizationId);
            if (!rows.isEmpty() && done.test(rows)) {
                return rows;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("not there after " + timeout.toSeconds() + " s: " + sql + "\nlast rows: " + rows);
    }

    /** Each row as column label → text (SQL NULL as null). */
    public List<Map<String, String>> rows(String sql, String organizationId) throws SQLException {
        try (Connection trino = stack.trino(); PreparedStatement statement = trino.prepareStatement(sql)) {
            statement.setString(1, organizationId);
            try (ResultSet r = statement.executeQuery()) {
                ResultSetMetaData meta = r.getMetaData();
                List<Map<String, String>> rows = new ArrayList<>();
                while (r.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), r.getString(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}
