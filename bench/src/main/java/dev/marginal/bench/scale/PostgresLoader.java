package dev.marginal.bench.scale;

import dev.marginal.bench.scale.ScaleData.Organisation;
import dev.marginal.stack.StackConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * COPYs the same data set into billing-core's own tables in the stack's PostgreSQL
 * ({@code organizations}, {@code customers}, {@code orders}, {@code events} with their recorded
 * cost). The events table's secondary indexes and its foreign key are dropped for the load and
 * built again afterwards from their own definitions, exactly as billing-core's migrations made
 * them (a bulk load's usual order; the table ends up the same).
 *
 * <p>Not loaded: subscriptions, products, payments and the ledger ({@code transactions}); orders
 * carry no subscription or product id. The PostgreSQL side of the benchmark reads only orders and
 * events.
 */
final class PostgresLoader {

    private static final int ROWS_PER_COPY = 50_000;

    private final ScaleData data;
    private final String url;

    PostgresLoader(ScaleData data, StackConfig config) {
        this.data = data;
        this.url = config.jdbcUrl(StackConfig.BILLING_DB);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, StackConfig.DB_USER, StackConfig.DB_PASSWORD);
    }

    /** Only the organisations (for `--only iceberg`: analyst logins and the dashboard need them). */
    void loadOrganisations() throws Exception {
        try (Connection db = connect()) {
            copyOrganisations(db);
        }
    }

    void load() throws Exception {
        long started = System.nanoTime();
        try (Connection db = connect(); Statement st = db.createStatement()) {
            copyOrganisations(db);
            List<String> rebuild = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT indexdef FROM pg_indexes WHERE tablename = 'events' AND indexname <> 'events_pkey' ORDER BY indexname""")) {
                while (rs.next()) {
                    rebuild.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT 'ALTER TABLE events ADD CONSTRAINT ' || conname || ' ' || pg_get_constraintdef(oid)
                    FROM pg_constraint WHERE conrelid = 'events'::regclass AND contype = 'f'""")) {
                while (rs.next()) {
                    rebuild.add(rs.getString(1));
                }
            }
            st.execute("ALTER TABLE events DROP CONSTRAINT IF EXISTS events_organization_id_fkey");
            st.execute("DROP INDEX IF EXISTS events_organization_external_id, events_organization_name_timestamp, "
                    + "events_organization_external_customer, events_organization_customer");
            copyEvents(db);
            System.out.printf("postgres: events copied in %d s; building indexes again%n", (System.nanoTime() - started) / 1_000_000_000);
            st.execute("SET maintenance_work_mem = '512MB'");
            for (String ddl : rebuild) {
                long t = System.nanoTime();
                st.execute(ddl);
                System.out.printf("postgres: %s (%d s)%n", ddl, (System.nanoTime() - t) / 1_000_000_000);
            }
            st.execute("VACUUM (ANALYZE) events");
            st.execute("VACUUM (ANALYZE) orders");
            st.execute("VACUUM (ANALYZE) customers");
        }
        System.out.printf("postgres: loaded in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
    }

    private void copyOrganisations(Connection db) throws Exception {
        CopyIn orgs = copy(db, "COPY organizations (id, name, slug) FROM STDIN");
        StringBuilder rows = new StringBuilder();
        for (Organisation o : data.organisations) {
            rows.append(o.id()).append('\t').append("Scale org ").append(o.index()).append('\t').append(o.slug()).append('\n');
        }
        send(orgs, rows);
        orgs.endCopy();

        CopyIn customers = copy(db, "COPY customers (id, organization_id, external_id, email, name, created_at) FROM STDIN");
        rows.setLength(0);
        for (Organisation o : data.organisations) {
            for (int c = 0; c < o.customers(); c++) {
                String external = ScaleData.externalCustomerId(o, c);
                rows.append(ScaleData.customerId(o, c)).append('\t').append(o.id()).append('\t').append(external).append('\t')
                        .append(external).append("@example.com\tCustomer ").append(c).append('\t')
                        .append(data.customerCreatedAt(o, c)).append('\n');
                if (rows.length() > 4_000_000) {
                    send(customers, rows);
                }
            }
        }
        send(customers, rows);
        customers.endCopy();

        CopyIn orders = copy(db, """
                COPY orders (id, organization_id, customer_id, status, billing_reason, currency, subtotal_amount, discount_amount,
                             net_amount, tax_amount, total_amount, platform_fee_amount, period_start, period_end, created_at)
                FROM STDIN""");
        StringBuilder orderRows = new StringBuilder();
        data.forEachOrder(o -> {
            Instant start = o.periodStart().atStartOfDay(ZoneOffset.UTC).toInstant();
            orderRows.append(o.id()).append('\t').append(o.org().id()).append('\t').append(ScaleData.customerId(o.org(), o.customer()))
                    .append("\tpaid\tsubscription_cycle\tusd\t").append(o.cents()).append("\t0\t").append(o.cents()).append("\t0\t")
                    .append(o.cents()).append('\t').append(o.platformFeeCents()).append('\t').append(start).append('\t')
                    .append(o.periodEnd().atStartOfDay(ZoneOffset.UTC).toInstant()).append('\t').append(start).append('\n');
            if (orderRows.length() > 4_000_000) {
                sendUnchecked(orders, orderRows);
            }
        });
        send(orders, orderRows);
        orders.endCopy();
    }

    private void copyEvents(Connection db) throws Exception {
        long t0 = System.nanoTime();
        long[] copied = {0};
        for (int d = 0; d < data.days; d++) {
            StringBuilder rows = new StringBuilder(ROWS_PER_COPY * 400);
            CopyIn[] copy = {null};
            int[] inCopy = {0};
            data.forEachEvent(d, e -> {
                try {
                    if (copy[0] == null) {
                        copy[0] = copy(db, """
                                COPY events (id, organization_id, external_customer_id, external_id, name, timestamp, metadata,
                                             source, ingested_at, cost_amount, cost_currency, cost_source) FROM STDIN""");
                    }
                    rows.append(e.id()).append('\t').append(e.org.id()).append('\t')
                            .append(ScaleData.externalCustomerId(e.org, e.customer)).append('\t').append(e.externalId()).append('\t')
                            .append(e.featureName()).append('\t').append(Instant.EPOCH.plusNanos(e.timestampMicros * 1_000)).append('\t')
                            .append(e.metadataJson()).append("\tuser\t").append(Instant.EPOCH.plusNanos(e.ingestedMicros * 1_000))
                            .append('\t').append(e.costCentsText()).append("\tusd\tevent\n");
                    if (++inCopy[0] == ROWS_PER_COPY) {
                        send(copy[0], rows);
                        copy[0].endCopy();
                        copy[0] = null;
                        inCopy[0] = 0;
                    }
                    copied[0]++;
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            if (copy[0] != null) {
                send(copy[0], rows);
                copy[0].endCopy();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("postgres: day %s done, %,d events (%.0f s, %,.0f rows/s)%n", data.day(d), copied[0], seconds, copied[0] / seconds);
        }
    }

    private static CopyIn copy(Connection db, String sql) throws SQLException {
        return db.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    }

    private static void send(CopyIn copy, StringBuilder rows) throws SQLException {
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        rows.setLength(0);
    }

    private static void sendUnchecked(CopyIn copy, StringBuilder rows) {
        try {
            send(copy, rows);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
