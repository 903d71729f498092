package dev.marginal.stack;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The analytics tables the pipelines derive from others in the same checkpoint, filled from those
 * others (warehouse/src/main/resources/sql/backfill/&lt;table&gt;.sql): once, for a home whose
 * warehouse predates the table ({@link TrinoServer#applySchemas}), and for tests that seed the
 * source tables by hand instead of running the pipelines.
 */
public final class WarehouseBackfill {

    /** {@code analytics} tables with a backfill, in the order they are filled. */
    static final List<String> TABLES = List.of("customer_day_deltas", "subscription_lines");

    private WarehouseBackfill() {
    }

    /** The statement filling {@code table} for the organisations {@code scope} (a condition on {@code organization_id}) selects. */
    static String statement(String table, String scope) {
        String resource = "/sql/backfill/" + table + ".sql";
        List<String> statements = SqlScript.fromClasspath(resource);
        if (statements.size() != 1 || !statements.get(0).contains("/*scope*/")) {
            throw new IllegalStateException(resource + " must hold one statement with a /*scope*/ condition");
        }
        return statements.get(0).replace("/*scope*/", scope);
    }

    /** {@code table} for every organisation: rows inserted. */
    static long all(Connection trino, String table) throws SQLException {
        try (Statement sql = trino.createStatement()) {
            return sql.executeUpdate(statement(table, "TRUE"));
        }
    }

    /** Every derived table's rows of these organisations, from the source rows seeded for them. */
    public static void forOrganisations(Connection trino, Collection<String> organizationIds) throws SQLException {
        if (organizationIds.isEmpty()) {
            throw new IllegalArgumentException("no organisation");
        }
        String in = organizationIds.stream().map(id -> "'" + id.replace("'", "''") + "'").collect(Collectors.joining(", "));
        try (Statement sql = trino.createStatement()) {
            for (String table : TABLES) {
                sql.executeUpdate(statement(table, "organization_id IN (" + in + ")"));
            }
        }
    }
}
