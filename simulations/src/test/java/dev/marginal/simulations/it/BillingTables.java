package dev.marginal.simulations.it;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.Invoice;
import dev.marginal.pricing.invoice.InvoiceLine;
import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.meter.MeterEvent;
import dev.marginal.pricing.meter.MeterFilter;
import dev.marginal.pricing.meter.MeterQuantities;
import dev.marginal.pricing.meter.TimeInterval;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.tax.TaxBehavior;
import dev.marginal.pricing.tax.TaxDecision;

/**
 * billing-core's PostgreSQL, as billing-core leaves it: its own Flyway migrations applied, and rows
 * written in the shape its repositories write them. Orders are billed as billing-core's
 * {@code Orders.billSubscription} bills them — the fixed fee for the period the order opens, each
 * metered price for the period that just ended with the quantity the pricing engine's
 * {@link MeterQuantities} reads from the customer's events, totals by {@link Invoice#compute} —
 * so nothing here prices anything itself.
 */
final class BillingTables {

    /** A metered price of the product and the meter it reads: Polar's filter on the event name, an aggregation. */
    record Metered(String meterName, String event, Aggregation aggregation, Price price) {
    }

    private final Connection db;
    final UUID organization = UUID.randomUUID();
    private final UUID product = UUID.randomUUID();

    BillingTables(Connection db) {
        this.db = db;
    }

    /** billing-core's migrations, in version order (V2 before V10), each file as one script. */
    void migrate(Path migrations) throws IOException, SQLException {
        List<Path> files;
        try (Stream<Path> list = Files.list(migrations)) {
            files = list.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString()
                            .substring(1, p.getFileName().toString().indexOf("__"))))).toList();
        }
        try (Statement s = db.createStatement()) {
            for (Path file : files) {
                s.execute(Files.readString(file));
            }
        }
    }

    void organization(String slug) throws SQLException {
        update("INSERT INTO organizations (id, name, slug) VALUES (?, ?, ?)", organization, slug, slug);
        update("INSERT INTO products (id, organization_id, name, recurring_interval, recurring_interval_count) "
                + "VALUES (?, ?, 'Starter', 'month', 1)", product, organization);
    }

    UUID customer(String externalId) throws SQLException {
        UUID id = UUID.randomUUID();
        update("INSERT INTO customers (id, organization_id, external_id, email) VALUES (?, ?, ?, ?)", id, organization,
                externalId, externalId + "@example.com");
        return id;
    }

    void event(String externalCustomerId, String name, Instant at, String metadataJson) throws SQLException {
        update("INSERT INTO events (id, organization_id, external_customer_id, external_id, name, timestamp, metadata) "
                        + "VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb))", UUID.randomUUID(), organization,
                externalCustomerId, UUID.randomUUID().toString(), name, at.atOffset(ZoneOffset.UTC), metadataJson);
    }

    /** The meter's quantity for a customer over a period, evaluated by the pricing engine over the stored events. */
    BigDecimal quantity(Metered metered, String externalCustomerId, ServicePeriod period) throws SQLException {
        MeterQuantities quantities = new MeterQuantities(
                new MeterFilter.Clause("name", MeterFilter.Operator.EQ, metered.event()), metered.aggregation(),
                period.start(), period.end(), TimeInterval.YEAR, ZoneOffset.UTC);
        try (PreparedStatement s = db.prepareStatement("""
                SELECT name, source, timestamp, metadata::text FROM events
                WHERE organization_id = ? AND external_customer_id = ? AND timestamp >= ? AND timestamp < ?""")) {
            s.setObject(1, organization);
            s.setString(2, externalCustomerId);
            s.setObject(3, period.start().atOffset(ZoneOffset.UTC));
            s.setObject(4, period.end().atOffset(ZoneOffset.UTC));
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    quantities.add(new MeterEvent(rs.getString(1), rs.getString(2),
                            rs.getObject(3, OffsetDateTime.class).toInstant(), Json.object(rs.getString(4))));
                }
            }
        }
        return quantities.total();
    }

    /**
     * One order of a monthly subscription: {@code fee} for {@code period} in advance and, when
     * {@code usagePeriod} is given, each metered price for it in arrears. Returns the order's total.
     */
    long order(UUID customer, String externalCustomerId, String reason, ServicePeriod period, FixedPrice fee,
               ServicePeriod usagePeriod, List<Metered> metered) throws SQLException {
        List<InvoiceLine> lines = new ArrayList<>();
        lines.add(InvoiceLine.priced("Starter", period, fee, BigDecimal.ONE, "unit"));
        if (usagePeriod != null) {
            for (Metered m : metered) {
                lines.add(InvoiceLine.priced("Starter — " + m.meterName(), usagePeriod, m.price(),
                        quantity(m, externalCustomerId, usagePeriod), "scalar"));
            }
        }
        Invoice invoice = Invoice.compute(fee.currency(), lines, null, TaxBehavior.EXCLUSIVE,
                TaxDecision.notCollecting("none"));
        UUID order = UUID.randomUUID();
        update("""
                INSERT INTO orders (id, organization_id, customer_id, product_id, status, billing_reason, currency,
                    subtotal_amount, discount_amount, net_amount, tax_amount, total_amount, period_start, period_end,
                    created_at)
                VALUES (?, ?, ?, ?, 'pending', ?, 'usd', ?, ?, ?, ?, ?, ?, ?, ?)""", order, organization, customer,
                product, reason, invoice.subtotal().minorUnits(), invoice.discount().minorUnits(),
                invoice.net().minorUnits(), invoice.tax().minorUnits(), invoice.total().minorUnits(),
                at(period.start()), at(period.end()), at(period.start()));
        for (int i = 0; i < invoice.lines().size(); i++) {
            var line = invoice.lines().get(i).line();
            update("""
                    INSERT INTO order_items (id, order_id, position, label, kind, quantity, unit, amount, tax_amount,
                        start_timestamp, end_timestamp, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", UUID.randomUUID(), order, i, line.description(),
                    line.kind().wireName(), line.quantity(), line.unit(), line.amount().minorUnits(),
                    invoice.lines().get(i).tax().minorUnits(), at(line.period().start()), at(line.period().end()),
                    at(period.start()));
        }
        return invoice.total().minorUnits();
    }

    void update(String sql, Object... params) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Just enough JSON for event metadata written by this test: nested objects of numbers and strings. */
    static final class Json {

        static Map<String, Object> object(String text) {
            return new Json(text).object();
        }

        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        private Map<String, Object> object() {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            expect('{');
            if (peek() == '}') {
                i++;
                return out;
            }
            do {
                String key = string();
                expect(':');
                out.put(key, value());
            } while (next() == ',');
            return out;
        }

        private Object value() {
            char c = peek();
            if (c == '{') {
                return object();
            }
            if (c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && "-+.0123456789eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return new BigDecimal(s.substring(start, i));
        }

        private String string() {
            expect('"');
            int start = i;
            while (s.charAt(i) != '"') {
                i++;
            }
            return s.substring(start, i++);
        }

        private char peek() {
            while (Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (i - 1) + " in " + s);
            }
        }
    }
}
