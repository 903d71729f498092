package dev.marginal.pipelines.flink.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The rows revenue is computed from, read from their CDC JSON (billing-core V8/V9 columns). Money
 * stays in minor units ({@code long}) until a fact is written.
 */
public final class BillingRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BillingRows() {
    }

    /** An order (Polar's Order, Stripe's invoice): its amounts and who it bills. */
    public record Order(String id, String organizationId, String customerId, String productId, String subscriptionId,
                        String status, String currency, long discountAmount, long netAmount, long taxAmount,
                        long totalAmount, Instant createdAt) {

        /** Paid, including paid and then (partly) refunded: a refund restates revenue, it does not unbook the lines. */
        public boolean paid() {
            return "paid".equals(status) || "partially_refunded".equals(status) || "refunded".equals(status);
        }
    }

    /**
     * One line of an order; {@code start}/{@code end} the service period it pays for, if any;
     * {@code net} what it earns: its amount less its share of the discount and, for a tax-inclusive
     * price, less its tax (billing-core's {@code order_items.net_amount}).
     */
    public record Item(String id, String orderId, String kind, long amount, long taxAmount, long net, Instant start,
                       Instant end) {

        /** A line without discount or included tax: it earns its amount. */
        public Item(String id, String orderId, String kind, long amount, long taxAmount, Instant start, Instant end) {
            this(id, orderId, kind, amount, taxAmount, amount, start, end);
        }
    }

    /** One row of the double-entry ledger ({@code transactions}). */
    public record LedgerEntry(String id, String organizationId, String orderId, String type, String account, long amount,
                              String currency, Instant createdAt) {
    }

    public static Order order(String json) {
        JsonNode r = tree(json);
        return new Order(text(r, "id", true), text(r, "organization_id", true), text(r, "customer_id", true),
                text(r, "product_id", false), text(r, "subscription_id", false), text(r, "status", true),
                text(r, "currency", true).trim(), minor(r, "discount_amount"), minor(r, "net_amount"),
                minor(r, "tax_amount"), minor(r, "total_amount"), time(r, "created_at", true));
    }

    public static Item item(String json) {
        JsonNode r = tree(json);
        // Lines written before billing-core kept a net (V14) had neither discounts nor included tax.
        JsonNode net = r.get("net_amount");
        long amount = minor(r, "amount");
        return new Item(text(r, "id", true), text(r, "order_id", true), text(r, "kind", true), amount,
                minor(r, "tax_amount"), net == null || net.isNull() ? amount : minor(r, "net_amount"),
                time(r, "start_timestamp", false), time(r, "end_timestamp", false));
    }

    public static LedgerEntry ledgerEntry(String json) {
        JsonNode r = tree(json);
        return new LedgerEntry(text(r, "id", true), text(r, "organization_id", true), text(r, "order_id", false),
                text(r, "type", true), text(r, "account", true), minor(r, "amount"), text(r, "currency", true).trim(),
                time(r, "created_at", true));
    }

    /** The order an item or a ledger row belongs to, or null (a payout, a balance movement). */
    public static String orderIdOf(String json) {
        JsonNode node = tree(json).get("order_id");
        return node == null || node.isNull() ? null : node.asText();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new Unreadable("not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode row, String field, boolean required) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new Unreadable("missing '" + field + "'");
            }
            return null;
        }
        return node.asText();
    }

    private static long minor(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber()) {
            throw new Unreadable("'" + field + "' is not whole minor units: " + node);
        }
        return node.longValue();
    }

    private static Instant time(JsonNode row, String field, boolean required) {
        String s = text(row, field, required);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new Unreadable("'" + field + "' is not an ISO-8601 timestamp: " + s);
        }
    }

    /** A row that cannot be read; the job sends it to the dead-letter topic with this message. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
