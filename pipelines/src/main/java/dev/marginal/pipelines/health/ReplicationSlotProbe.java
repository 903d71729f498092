package dev.marginal.pipelines.health;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code marginal_cdc_slot_wal_retained_bytes}: the WAL PostgreSQL keeps for the CDC runner's
 * replication slot, {@code pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)}. While the runner is
 * down or stuck this grows until the database's disk is full, which is why it is worth a page.
 * Read at each scrape on a short-lived connection: a scrape every 15 s costs nothing, and a pooled
 * connection would be one more thing to hold open against the database the runner reads.
 */
public final class ReplicationSlotProbe {

    static final String NAME = "marginal_cdc_slot_wal_retained_bytes";
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSlotProbe.class);
    private static final String SQL = """
            SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)
              FROM pg_replication_slots
             WHERE slot_name = ?
            """;

    private final String jdbcUrl;
    private final Properties credentials;
    private final String slot;

    public ReplicationSlotProbe(String jdbcUrl, String user, String password, String slot) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        credentials.setProperty("connectTimeout", "3");
        credentials.setProperty("socketTimeout", "5");
        credentials.setProperty("ApplicationName", "marginal-cdc-metrics");
        this.slot = slot;
    }

    public static ReplicationSlotProbe register(Metrics metrics, String jdbcUrl, String user, String password, String slot) {
        ReplicationSlotProbe probe = new ReplicationSlotProbe(jdbcUrl, user, password, slot);
        metrics.gauge(NAME, "Bytes of WAL PostgreSQL retains for replication slot " + slot + " (NaN: no such slot or no database)",
                probe::walRetainedBytes);
        return probe;
    }

    /** NaN when the slot does not exist (yet) or the database cannot be reached. */
    public double walRetainedBytes() {
        try (Connection c = DriverManager.getConnection(jdbcUrl, credentials);
             PreparedStatement q = c.prepareStatement(SQL)) {
            q.setString(1, slot);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Double.NaN;
                }
                double bytes = rs.getDouble(1);
                return rs.wasNull() ? Double.NaN : bytes;
            }
        } catch (Exception e) {
            LOG.debug("Could not read replication slot {}", slot, e);
            return Double.NaN;
        }
    }
}
