package dev.marginal.billing.clock;

/**
 * Which organisations a sweep (renewals, payment retries, dispute decisions) moves. The background
 * sweep runs on the service's time and must leave organisations on a test clock alone (their time
 * only moves when the clock is advanced); advancing a test clock sweeps its one organisation.
 */
public final class TestClockScope {

    private TestClockScope() {
    }

    /**
     * A SQL condition on {@code column} (a qualified {@code organization_id}) with a {@code :org}
     * parameter: null means "every organisation without a test clock", an id means that organisation.
     */
    public static String sql(String column) {
        return "(CASE WHEN CAST(:org AS uuid) IS NULL"
                + " THEN NOT EXISTS (SELECT 1 FROM test_clocks tc WHERE tc.organization_id = " + column + ")"
                + " ELSE " + column + " = CAST(:org AS uuid) END)";
    }
}
