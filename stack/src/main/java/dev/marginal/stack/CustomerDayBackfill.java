package dev.marginal.stack;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Fills {@code analytics.customer_day_deltas} from {@code revenue_facts} and {@code usage_cost_deltas}
 * (warehouse/src/main/resources/sql/backfill/customer_day_deltas.sql): once, for a home whose
 * warehouse predates the table ({@link TrinoServer#applySchemas}), and for tests that seed the two
 * source tables by hand instead of running the pipelines.
 */
public final class CustomerDayBackfill {

    private static final String RESOURCE = "/sql/backfill/customer_day_deltas.sql";

    private CustomerDayBackfill() {
    }

    /** The statement for the organisations {@code scope} (a Trino condition on {@code organization_id}) selects. */
    static String statement(String scope) {
        List<String> statements = SqlScript.fromClasspath(RESOURCE);
        if (statements.size() != 1 || !statements.get(0).contains("/*scope*/")) {
            throw new IllegalStateException(RESOURCE + " must hold one statement with a /*scope*/ condition");
        }
        return statements.get(0).replace("/*scope*/", scope);
    }

    /** Every organisation: rows inserted. */
    static long all(Connection trino) throws SQLException {
        try (Statement sql = trino.createStatement()) {
            return sql.executeUpdate(statement("TRUE"));
        }
    }

    /** These organisations' customer-day rows, from the facts and cost deltas seeded for them. */
    public static void forOrganisations(Connection trino, Collection<String> organizationIds) throws SQLException {
        if (organizationIds.isEmpty()) {
            throw new IllegalArgumentException("no organisation");
        }
        String in = organizationIds.stream().map(id -> "'" + id.replace("'", "''") + "'").collect(Collectors.joining(", "));
        try (Statement sql = trino.createStatement()) {
            sql.executeUpdate(statement("organization_id IN (" + in + ")"));
        }
    }
}
