package dev.marginal.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongPredicate;

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
}
