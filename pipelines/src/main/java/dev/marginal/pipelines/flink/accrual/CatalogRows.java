package dev.marginal.pipelines.flink.accrual;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marginal.pipelines.flink.billing.BillingRows;
import dev.marginal.pricing.Money;
import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.meter.MeterEvent;
import dev.marginal.pricing.meter.MeterFilter;
import dev.marginal.pricing.price.GraduatedPrice;
import dev.marginal.pricing.price.MeteredUnitPrice;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.price.VolumePrice;
import dev.marginal.pricing.tier.Tier;
import dev.marginal.pricing.tier.Tiers;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * billing-core's catalog rows, read from their CDC JSON into the pricing engine's values: a meter's
 * filter and aggregation (Polar's JSON, stored {@code jsonb}), a metered price as the engine's
 * {@link Price}, a subscription's current period, a customer's external id, an event as a
 * {@link MeterEvent}. Only reading: every figure is computed by the engine.
 */
public final class CatalogRows {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private CatalogRows() {
    }

    public record Meter(String id, MeterFilter filter, Aggregation aggregation) {
    }

    /** A metered price row; {@code live} until archived (prices are never changed otherwise). */
    public record MeteredPrice(String id, String productId, String currency, String meterId, Price price,
                               Instant createdAt, Instant archivedAt) {

        boolean liveAt(Instant at) {
            return !createdAt.isAfter(at) && (archivedAt == null || archivedAt.isAfter(at));
        }
    }

    /**
     * @param usagePeriodStart where the current prices' usage is metered from after a plan change
     *                         (billing-core bills the old prices' usage up to the change); null: the period's start
     */
    public record Subscription(String id, String customerId, String productId, String currency, String status,
                               Instant periodStart, Instant periodEnd, Instant usagePeriodStart, Instant createdAt) {

        /** Where the usage of the current prices is metered from in this period. */
        Instant usageStart() {
            return usagePeriodStart == null ? periodStart : usagePeriodStart;
        }

        /** Usage in a trial is free, and only a live subscription is invoiced at renewal. */
        boolean billsUsage() {
            return status.equals("active") || status.equals("past_due");
        }
    }

    public record Customer(String id, String externalId) {
    }

    public static Meter meter(String json) {
        JsonNode row = tree(json);
        return new Meter(text(row, "id"), filter(embedded(row, "filter"), 0), aggregation(embedded(row, "aggregation")));
    }

    /** A metered price, or null for the in-advance kinds (fixed, free), which accrue nothing. */
    public static MeteredPrice meteredPrice(String json) {
        JsonNode row = tree(json);
        String type = text(row, "amount_type");
        if (!type.equals("metered_unit") && !type.equals("metered_tiered")) {
            return null;
        }
        String currency = text(row, "price_currency").trim();
        java.util.Currency money = Money.currency(currency);
        Price price = type.equals("metered_unit")
                ? new MeteredUnitPrice(money, decimal(row, "unit_amount"), optionalLong(row, "cap_amount"), BigDecimal.ZERO)
                : tiered(money, embedded(row, "tiers"));
        boolean archived = row.path("is_archived").asBoolean(false);
        Instant created = time(row, "created_at");
        Instant archivedAt = !archived ? null : row.hasNonNull("modified_at") ? time(row, "modified_at") : created;
        return new MeteredPrice(text(row, "id"), text(row, "product_id"), currency, text(row, "meter_id"), price, created,
                archivedAt);
    }

    public static Subscription subscription(String json) {
        JsonNode row = tree(json);
        return new Subscription(text(row, "id"), text(row, "customer_id"), text(row, "product_id"),
                text(row, "currency").trim(), text(row, "status"), time(row, "current_period_start"),
                time(row, "current_period_end"), row.hasNonNull("usage_period_start") ? time(row, "usage_period_start") : null,
                time(row, "created_at"));
    }

    /** A customer and the external id events may name it by; null external id when it has none or is deleted. */
    public static Customer customer(String json) {
        JsonNode row = tree(json);
        boolean deleted = row.hasNonNull("deleted_at");
        return new Customer(text(row, "id"), deleted || !row.hasNonNull("external_id") ? null : row.get("external_id").asText());
    }

    public static MeterEvent event(String name, String source, Instant timestamp, String metadataJson) {
        Object values = value(tree(metadataJson == null ? "{}" : metadataJson));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = values instanceof Map<?, ?> ? (Map<String, Object>) values : Map.of();
        return new MeterEvent(name, source, timestamp, metadata);
    }

    /** billing-core's tiers object: {@code {"type": "graduated"|"volume", "tiers": [{bound, unit_amount, flat_amount}]}}. */
    private static Price tiered(java.util.Currency money, JsonNode tiers) {
        List<Tier> list = new ArrayList<>();
        BigDecimal from = BigDecimal.ZERO;
        for (JsonNode tier : tiers.path("tiers")) {
            BigDecimal bound = tier.hasNonNull("bound") ? new BigDecimal(tier.get("bound").asText()) : null;
            BigDecimal flat = tier.hasNonNull("flat_amount") ? new BigDecimal(tier.get("flat_amount").asText()) : BigDecimal.ZERO;
            list.add(new Tier(from, bound, new BigDecimal(tier.path("unit_amount").asText()), flat));
            from = bound == null ? from : bound;
        }
        return switch (tiers.path("type").asText()) {
            case "graduated" -> new GraduatedPrice(money, new Tiers(list));
            case "volume" -> new VolumePrice(money, new Tiers(list));
            default -> throw new BillingRows.Unreadable("tiers of unknown type " + tiers.path("type"));
        };
    }

    private static MeterFilter filter(JsonNode node, int depth) {
        if (depth > 16 || !node.isObject()) {
            throw new BillingRows.Unreadable("meter filter is not an object: " + node);
        }
        if (node.has("conjunction") || node.has("clauses")) {
            List<MeterFilter> clauses = new ArrayList<>();
            for (JsonNode clause : node.path("clauses")) {
                clauses.add(filter(clause, depth + 1));
            }
            return new MeterFilter.Group(MeterFilter.Conjunction.valueOf(node.path("conjunction").asText().toUpperCase(Locale.ROOT)),
                    clauses);
        }
        JsonNode value = node.get("value");
        Object parsed = value == null ? null : value.isNumber() ? value.decimalValue() : value.isBoolean() ? value.booleanValue()
                : value.asText();
        return new MeterFilter.Clause(node.path("property").asText(),
                MeterFilter.Operator.valueOf(node.path("operator").asText().toUpperCase(Locale.ROOT)), parsed);
    }

    private static Aggregation aggregation(JsonNode node) {
        Aggregation.Function function = Aggregation.Function.valueOf(node.path("func").asText("count").toUpperCase(Locale.ROOT));
        return new Aggregation(function, function == Aggregation.Function.COUNT ? null : node.path("property").asText());
    }

    /** Metadata as the engine reads it (billing-core's MeterJson): numbers exact, nulls absent. */
    static Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new HashMap<>();
            node.fields().forEachRemaining(e -> {
                Object v = value(e.getValue());
                if (v != null) {
                    map.put(e.getKey(), v);
                }
            });
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(value(n)));
            return list;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    /** A {@code jsonb} column: Debezium sends it as JSON text inside the row. */
    private static JsonNode embedded(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull()) {
            throw new BillingRows.Unreadable("missing '" + field + "'");
        }
        return node.isTextual() ? tree(node.textValue()) : node;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BillingRows.Unreadable("not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull()) {
            throw new BillingRows.Unreadable("missing '" + field + "'");
        }
        return node.asText();
    }

    private static BigDecimal decimal(JsonNode row, String field) {
        try {
            return new BigDecimal(text(row, field));
        } catch (NumberFormatException e) {
            throw new BillingRows.Unreadable("'" + field + "' is not a decimal: " + row.get(field));
        }
    }

    private static Long optionalLong(JsonNode row, String field) {
        JsonNode node = row.get(field);
        return node == null || node.isNull() ? null : node.asLong();
    }

    private static Instant time(JsonNode row, String field) {
        String s = text(row, field);
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new BillingRows.Unreadable("'" + field + "' is not an ISO-8601 timestamp: " + s);
        }
    }
}
