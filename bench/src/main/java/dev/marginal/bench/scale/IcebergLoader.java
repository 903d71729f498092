package dev.marginal.bench.scale;

import dev.marginal.bench.scale.ScaleData.Event;
import dev.marginal.bench.scale.ScaleData.Order;
import dev.marginal.bench.scale.ScaleData.Organisation;
import dev.marginal.stack.StackConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Writes the scale data set into the warehouse tables the pipelines' raw-events job writes, through
 * the stack's own Iceberg catalog (JDBC catalog in PostgreSQL {@code marginal_catalog}, files under
 * {@code $MARGINAL_HOME/warehouse}, as {@code IcebergTables.catalogLoader} configures the job):
 * {@code raw.events}, {@code analytics.usage_cost_deltas} and {@code analytics.model_cost_deltas}
 * as the job's per-checkpoint sums would be (one row per key and 2 s checkpoint), optionally
 * {@code analytics.usage_costs}, {@code analytics.revenue_facts} (each paid monthly fee recognised
 * day by day, the platform fee on the payment day) and {@code raw.cdc_changes} for the customers,
 * orders and order items the views join.
 */
final class IcebergLoader {

    private static final List<String> EVENTS = List.of("id", "organization_id", "customer_id", "external_customer_id",
            "external_id", "name", "timestamp", "metadata", "source", "ingested_at", "cdc_op", "cdc_lsn", "cdc_ts", "trace_id");
    private static final List<String> USAGE_COSTS = List.of("organization_id", "event_id", "customer_id",
            "external_customer_id", "name", "vendor", "model", "input_tokens", "cached_input_tokens", "output_tokens",
            "cost", "currency", "cost_source", "day", "timestamp");
    private static final List<String> USAGE_DELTAS = List.of("organization_id", "customer_id", "external_customer_id",
            "feature", "day", "currency", "cost", "events");
    private static final List<String> CUSTOMER_DAY_DELTAS = List.of("organization_id", "customer_id", "external_customer_id",
            "day", "currency", "revenue", "subscription_revenue", "usage_revenue", "cost", "fees", "events");
    private static final List<String> SUBSCRIPTION_LINES = List.of("organization_id", "customer_id", "subscription_id",
            "order_id", "item_id", "currency", "period_start", "period_end", "amount");
    private static final List<String> MODEL_DELTAS = List.of("organization_id", "vendor", "model", "day", "currency",
            "input_tokens", "cached_input_tokens", "output_tokens", "cost", "events");
    private static final List<String> REVENUE_FACTS = List.of("organization_id", "customer_id", "product_id",
            "subscription_id", "order_id", "source_id", "fact_type", "line_kind", "day", "booked_at", "currency",
            "revenue", "tax", "fees");
    private static final List<String> CDC_CHANGES = List.of("table_name", "id", "organization_id", "cdc_op", "cdc_lsn",
            "cdc_ts", "data");

    private final ScaleData data;
    private final JdbcCatalog catalog;
    private final boolean usageCosts;

    IcebergLoader(ScaleData data, StackConfig config, boolean usageCosts) {
        this.data = data;
        this.usageCosts = usageCosts;
        this.catalog = new JdbcCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("marginal", Map.of(
                CatalogProperties.URI, config.jdbcUrl(StackConfig.CATALOG_DB),
                "jdbc.user", StackConfig.DB_USER,
                "jdbc.password", StackConfig.DB_PASSWORD,
                "jdbc.schema-version", "V1",
                CatalogProperties.WAREHOUSE_LOCATION, config.warehouseUri()));
    }

    private TableWriter writer(String namespace, String table, List<String> columns, int task) {
        return new TableWriter(catalog.loadTable(TableIdentifier.of(namespace, table)), columns, task);
    }

    void load() {
        long started = System.nanoTime();
        loadEvents();
        System.out.printf("iceberg: usage tables written in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
        loadBilling();
        System.out.printf("iceberg: all tables written in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
    }

    private void loadEvents() {
        TableWriter events = writer("raw", "events", EVENTS, 1);
        TableWriter usageDeltas = writer("analytics", "usage_cost_deltas", USAGE_DELTAS, 2);
        TableWriter modelDeltas = writer("analytics", "model_cost_deltas", MODEL_DELTAS, 3);
        TableWriter customerDays = writer("analytics", "customer_day_deltas", CUSTOMER_DAY_DELTAS, 7);
        TableWriter costs = usageCosts ? writer("analytics", "usage_costs", USAGE_COSTS, 4) : null;
        long t0 = System.nanoTime();
        for (int d = 0; d < data.days; d++) {
            LocalDate day = data.day(d);
            Checkpoints checkpoints = new Checkpoints(usageDeltas, modelDeltas, customerDays, day);
            data.forEachEvent(d, e -> {
                writeEvent(events.record(), e);
                events.write();
                if (costs != null) {
                    writeUsageCost(costs.record(), e, day);
                    costs.write();
                }
                checkpoints.add(e);
            });
            checkpoints.flush();
            events.roll();
            usageDeltas.roll();
            modelDeltas.roll();
            customerDays.roll();
            if (costs != null) {
                costs.roll();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("iceberg: day %s done, %,d events, %,d usage deltas, %,d model deltas (%.0f s, %,.0f events/s)%n",
                    day, events.rows(), usageDeltas.rows(), modelDeltas.rows(), seconds, events.rows() / seconds);
        }
        List<TableWriter> written = new ArrayList<>(List.of(events, usageDeltas, modelDeltas, customerDays));
        if (costs != null) {
            written.add(costs);
        }
        for (TableWriter w : written) {
            w.commit();
            describe(w);
        }
    }

    private static void describe(TableWriter w) {
        long bytes = w.files().stream().mapToLong(DataFile::fileSizeInBytes).sum();
        System.out.printf("iceberg: committed %,d rows in %d files, %,d MB (largest file %,d MB)%n", w.rows(), w.files().size(),
                bytes >> 20, w.files().stream().mapToLong(DataFile::fileSizeInBytes).max().orElse(0) >> 20);
    }

    private static OffsetDateTime micros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static BigDecimal dollars(long nanoDollars) {
        return BigDecimal.valueOf(nanoDollars, 9).setScale(12);
    }

    static BigDecimal centsToDollars(long cents) {
        return BigDecimal.valueOf(cents, 2).setScale(12);
    }

    private static void writeEvent(GenericRecord r, Event e) {
        r.set(0, e.id().toString());
        r.set(1, e.org.id().toString());
        r.set(2, null);
        r.set(3, ScaleData.externalCustomerId(e.org, e.customer));
        r.set(4, e.externalId());
        r.set(5, e.featureName());
        r.set(6, micros(e.timestampMicros));
        r.set(7, e.metadataJson());
        r.set(8, "user");
        r.set(9, micros(e.ingestedMicros));
        r.set(10, "c");
        r.set(11, e.sequence * 512);
        r.set(12, micros(e.ingestedMicros + 3_000));
        // Generated, not ingested: no HTTP request, so no trace id (as events from before billing-core's V22).
        r.set(13, null);
    }

    private static void writeUsageCost(GenericRecord r, Event e, LocalDate day) {
        r.set(0, e.org.id().toString());
        r.set(1, e.id().toString());
        r.set(2, null);
        r.set(3, ScaleData.externalCustomerId(e.org, e.customer));
        r.set(4, e.featureName());
        r.set(5, e.model.vendor());
        r.set(6, e.model.model());
        r.set(7, e.inputTokens);
        r.set(8, 0L);
        r.set(9, e.outputTokens);
        r.set(10, dollars(e.costNanoDollars));
        r.set(11, "usd");
        r.set(12, "event");
        r.set(13, day);
        r.set(14, micros(e.timestampMicros));
    }

    /**
     * The job's {@code UsageCostDeltas}, {@code ModelCostDeltas} and the usage half of
     * {@code CustomerDayDeltas}: sums per key within one
     * checkpoint (2 s, one subtask), emitted in first-seen order when the checkpoint ends. Events
     * are taken to reach the job when they happen (a live stream, not a backfill).
     */
    private static final class Checkpoints {
        private final TableWriter usage;
        private final TableWriter models;
        private final TableWriter customerDays;
        private final LocalDate day;
        private final Map<Long, long[]> usageSums = new LinkedHashMap<>();
        private final Map<Long, long[]> modelSums = new LinkedHashMap<>();
        private final Map<Long, Event> usageKeys = new LinkedHashMap<>();
        private final Map<Long, long[]> customerSums = new LinkedHashMap<>();
        private final Map<Long, Organisation> customerOrgs = new LinkedHashMap<>();
        private long checkpoint = -1;

        Checkpoints(TableWriter usage, TableWriter models, TableWriter customerDays, LocalDate day) {
            this.usage = usage;
            this.models = models;
            this.customerDays = customerDays;
            this.day = day;
        }

        void add(Event e) {
            long cp = e.timestampMicros / 1_000 / ScaleData.CHECKPOINT_MILLIS;
            if (cp != checkpoint) {
                flush();
                checkpoint = cp;
            }
            long usageKey = ((long) e.org.index() << 40) | ((long) e.customer << 8) | e.feature;
            long[] u = usageSums.computeIfAbsent(usageKey, k -> new long[2]);
            u[0] += e.costNanoDollars;
            u[1]++;
            if (!usageKeys.containsKey(usageKey)) {
                Event copy = new Event();
                copy.org = e.org;
                copy.customer = e.customer;
                copy.feature = e.feature;
                usageKeys.put(usageKey, copy);
            }
            long customerKey = ((long) e.org.index() << 32) | e.customer;
            customerOrgs.putIfAbsent(customerKey, e.org);
            long[] c = customerSums.computeIfAbsent(customerKey, k -> new long[2]);
            c[0] += e.costNanoDollars;
            c[1]++;
            long modelKey = ((long) e.org.index() << 8) | ScaleData.MODELS.indexOf(e.model);
            long[] m = modelSums.computeIfAbsent(modelKey, k -> new long[4]);
            m[0] += e.inputTokens;
            m[1] += e.outputTokens;
            m[2] += e.costNanoDollars;
            m[3]++;
        }

        void flush() {
            for (Map.Entry<Long, long[]> s : usageSums.entrySet()) {
                Event k = usageKeys.get(s.getKey());
                GenericRecord r = usage.record();
                r.set(0, k.org.id().toString());
                r.set(1, null);
                r.set(2, ScaleData.externalCustomerId(k.org, k.customer));
                r.set(3, k.featureName());
                r.set(4, day);
                r.set(5, "usd");
                r.set(6, dollars(s.getValue()[0]));
                r.set(7, s.getValue()[1]);
                usage.write();
            }
            for (Map.Entry<Long, long[]> s : modelSums.entrySet()) {
                long key = s.getKey();
                ScaleData.Model model = ScaleData.MODELS.get((int) (key & 0xff));
                long[] v = s.getValue();
                GenericRecord r = models.record();
                r.set(0, ScaleData.uuid("org", key >>> 8, 0).toString());
                r.set(1, model.vendor());
                r.set(2, model.model());
                r.set(3, day);
                r.set(4, "usd");
                r.set(5, v[0]);
                r.set(6, 0L);
                r.set(7, v[1]);
                r.set(8, dollars(v[2]));
                r.set(9, v[3]);
                models.write();
            }
            for (Map.Entry<Long, long[]> s : customerSums.entrySet()) {
                long key = s.getKey();
                Organisation org = customerOrgs.get(key);
                // The job's CustomerDayUsage names the customer holding the event's external id (every
                // customer of the data set exists before its first event).
                writeCustomerDay(customerDays.record(), org.id().toString(), ScaleData.customerId(org, (int) key).toString(),
                        null, day, BigDecimal.ZERO, BigDecimal.ZERO, dollars(s.getValue()[0]),
                        BigDecimal.ZERO, s.getValue()[1]);
                customerDays.write();
            }
            usageSums.clear();
            usageKeys.clear();
            customerSums.clear();
            customerOrgs.clear();
            modelSums.clear();
        }
    }

    private void loadBilling() {
        List<Order> orders = new ArrayList<>();
        data.forEachOrder(orders::add);
        LocalDate from = orders.stream().map(Order::periodStart).min(LocalDate::compareTo).orElseThrow();
        LocalDate to = orders.stream().map(Order::periodEnd).max(LocalDate::compareTo).orElseThrow();
        TableWriter facts = writer("analytics", "revenue_facts", REVENUE_FACTS, 5);
        TableWriter customerDays = writer("analytics", "customer_day_deltas", CUSTOMER_DAY_DELTAS, 8);
        for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
            for (Order o : orders) {
                if (day.isBefore(o.periodStart()) || !day.isBefore(o.periodEnd())) {
                    continue;
                }
                long n = o.periodStart().until(o.periodEnd(), ChronoUnit.DAYS);
                long i = o.periodStart().until(day, ChronoUnit.DAYS);
                // Whole days of equal length: each earns cents / n, the remainder cents go to the earliest days.
                long cents = o.cents() / n + (i < o.cents() % n ? 1 : 0);
                writeFact(facts.record(), o, o.itemId().toString(), "subscription", "fixed", day, centsToDollars(cents), BigDecimal.ZERO);
                facts.write();
                BigDecimal fees = BigDecimal.ZERO;
                if (i == 0) {
                    fees = centsToDollars(o.platformFeeCents());
                    writeFact(facts.record(), o, o.feeId().toString(), "fee", "fee", day, BigDecimal.ZERO, fees);
                    facts.write();
                }
                // The job's CustomerDayDeltas sums an order's facts of one day (they arrive in one checkpoint).
                writeCustomerDay(customerDays.record(), o.org().id().toString(), ScaleData.customerId(o.org(), o.customer()).toString(),
                        null, day, centsToDollars(cents), centsToDollars(cents), BigDecimal.ZERO, fees, 0);
                customerDays.write();
            }
            facts.roll();
            customerDays.roll();
        }
        facts.commit();
        describe(facts);
        customerDays.commit();
        describe(customerDays);

        // The job's OrderRevenue books each paid fee line once more, whole, for MRR.
        TableWriter lines = writer("analytics", "subscription_lines", SUBSCRIPTION_LINES, 9);
        for (Order o : orders) {
            GenericRecord r = lines.record();
            r.set(0, o.org().id().toString());
            r.set(1, ScaleData.customerId(o.org(), o.customer()).toString());
            r.set(2, ScaleData.uuid("subscription", o.org().index(), o.customer()).toString());
            r.set(3, o.id().toString());
            r.set(4, o.itemId().toString());
            r.set(5, "usd");
            r.set(6, start(o).atOffset(ZoneOffset.UTC));
            r.set(7, end(o).atOffset(ZoneOffset.UTC));
            r.set(8, centsToDollars(o.cents()).setScale(12));
            lines.write();
        }
        lines.commit();
        describe(lines);

        TableWriter changes = writer("raw", "cdc_changes", CDC_CHANGES, 6);
        long[] lsn = {1L << 40};
        for (Organisation org : data.organisations) {
            for (int c = 0; c < org.customers(); c++) {
                Instant created = data.customerCreatedAt(org, c);
                String json = "{\"id\":\"" + ScaleData.customerId(org, c) + "\",\"organization_id\":\"" + org.id()
                        + "\",\"external_id\":\"" + ScaleData.externalCustomerId(org, c) + "\",\"email\":\""
                        + ScaleData.externalCustomerId(org, c) + "@example.com\",\"name\":\"Customer " + c
                        + "\",\"metadata\":\"{}\",\"created_at\":\"" + created + "\"}";
                writeChange(changes.record(), "customers", ScaleData.customerId(org, c).toString(), org, lsn[0]++, created, json);
                changes.write();
            }
        }
        changes.roll();
        for (Order o : orders) {
            String json = "{\"id\":\"" + o.id() + "\",\"organization_id\":\"" + o.org().id() + "\",\"customer_id\":\""
                    + ScaleData.customerId(o.org(), o.customer()) + "\",\"status\":\"paid\",\"billing_reason\":\"subscription_cycle\""
                    + ",\"currency\":\"usd\",\"subtotal_amount\":\"" + o.cents() + "\",\"discount_amount\":\"0\",\"net_amount\":\""
                    + o.cents() + "\",\"tax_amount\":\"0\",\"total_amount\":\"" + o.cents() + "\",\"platform_fee_amount\":\""
                    + o.platformFeeCents() + "\",\"period_start\":\"" + start(o) + "\",\"period_end\":\"" + end(o)
                    + "\",\"created_at\":\"" + start(o) + "\"}";
            writeChange(changes.record(), "orders", o.id().toString(), o.org(), lsn[0]++, start(o), json);
            changes.write();
        }
        changes.roll();
        for (Order o : orders) {
            String json = "{\"id\":\"" + o.itemId() + "\",\"order_id\":\"" + o.id() + "\",\"position\":\"0\",\"label\":\"Plan\""
                    + ",\"kind\":\"fixed\",\"quantity\":\"1\",\"unit\":\"month\",\"amount\":\"" + o.cents()
                    + "\",\"tax_amount\":\"0\",\"discount_amount\":\"0\",\"net_amount\":\"" + o.cents()
                    + "\",\"start_timestamp\":\"" + start(o) + "\",\"end_timestamp\":\"" + end(o) + "\",\"created_at\":\"" + start(o) + "\"}";
            writeChange(changes.record(), "order_items", o.itemId().toString(), o.org(), lsn[0]++, start(o), json);
            changes.write();
        }
        changes.commit();
        describe(changes);
    }

    private static Instant start(Order o) {
        return o.periodStart().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Instant end(Order o) {
        return o.periodEnd().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** One row of {@code analytics.customer_day_deltas}, in the currency of the data set (USD). */
    private static void writeCustomerDay(GenericRecord r, String organizationId, String customerId, String externalCustomerId,
                                         LocalDate day, BigDecimal revenue, BigDecimal subscriptionRevenue, BigDecimal cost,
                                         BigDecimal fees, long events) {
        r.set(0, organizationId);
        r.set(1, customerId);
        r.set(2, externalCustomerId);
        r.set(3, day);
        r.set(4, "usd");
        r.set(5, revenue.setScale(12));
        r.set(6, subscriptionRevenue.setScale(12));
        r.set(7, BigDecimal.ZERO.setScale(12));
        r.set(8, cost.setScale(12));
        r.set(9, fees.setScale(12));
        r.set(10, events);
    }

    private static void writeFact(GenericRecord r, Order o, String sourceId, String type, String kind, LocalDate day,
                                  BigDecimal revenue, BigDecimal fees) {
        r.set(0, o.org().id().toString());
        r.set(1, ScaleData.customerId(o.org(), o.customer()).toString());
        r.set(2, ScaleData.uuid("product", o.org().index(), o.cents()).toString());
        r.set(3, ScaleData.uuid("subscription", o.org().index(), o.customer()).toString());
        r.set(4, o.id().toString());
        r.set(5, sourceId);
        r.set(6, type);
        r.set(7, kind);
        r.set(8, day);
        r.set(9, start(o).atOffset(ZoneOffset.UTC));
        r.set(10, "usd");
        r.set(11, revenue.setScale(12));
        r.set(12, BigDecimal.ZERO.setScale(12));
        r.set(13, fees.setScale(12));
    }

    private static void writeChange(GenericRecord r, String table, String id, Organisation org, long lsn, Instant at, String json) {
        r.set(0, table);
        r.set(1, id);
        r.set(2, org.id().toString());
        r.set(3, "c");
        r.set(4, lsn);
        r.set(5, at.atOffset(ZoneOffset.UTC));
        r.set(6, json);
    }
}
