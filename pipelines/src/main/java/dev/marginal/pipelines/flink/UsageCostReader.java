package dev.marginal.pipelines.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The cost fact of one {@code events} row. Which figure wins:
 * <ol>
 *   <li>the cost billing-core recorded on the row ({@code cost_amount}, {@code cost_currency},
 *       {@code cost_source}, added by its V3 migration) — the figure invoices and reconciliation use;
 *   <li>else the event's own {@code metadata._cost} — rows written before V3, or a database
 *       without those columns (absent from the CDC record, which is tolerated);
 *   <li>else no cost ({@code none}).
 * </ol>
 * Amounts arrive in cents and leave in major units ({@link UsageCost#majorUnits}). Pure: no
 * Flink, no I/O.
 */
public final class UsageCostReader {

    /** Money in JSON numbers is read as written: BigDecimal, never double. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private UsageCostReader() {
    }

    /** Thrown with the reason when the row's cost data cannot be read. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    public static UsageCost read(JsonNode after, RawEvent event) {
        JsonNode metadata;
        try {
            metadata = JSON.readTree(event.metadata());
        } catch (JsonProcessingException e) {
            throw new Unreadable("metadata is not JSON");
        }
        JsonNode llm = object(metadata, "_llm");
        String vendor = llm == null ? null : key(llm, "vendor");
        String model = llm == null ? null : key(llm, "model");

        BigDecimal cents;
        String currency;
        String source;
        if (present(after, "cost_amount")) {
            cents = decimal(after.get("cost_amount"), "cost_amount");
            currency = required(after, "cost_currency");
            source = required(after, "cost_source");
            if (!source.equals(UsageCost.SOURCE_EVENT) && !source.equals(UsageCost.SOURCE_CATALOG)) {
                throw new Unreadable("cost_source '" + source + "' is neither 'event' nor 'catalog'");
            }
        } else if (object(metadata, "_cost") != null) {
            JsonNode cost = metadata.get("_cost");
            if (!present(cost, "amount")) {
                throw new Unreadable("metadata._cost has no amount");
            }
            cents = decimal(cost.get("amount"), "metadata._cost.amount");
            currency = required(cost, "currency");
            source = UsageCost.SOURCE_EVENT;
        } else {
            cents = null;
            currency = null;
            source = UsageCost.SOURCE_NONE;
        }
        BigDecimal major;
        try {
            major = cents == null ? null : UsageCost.majorUnits(cents);
        } catch (ArithmeticException e) {
            throw new Unreadable(e.getMessage());
        }
        return new UsageCost(
                event.organizationId(),
                event.id(),
                event.customerId(),
                event.externalCustomerId(),
                event.name(),
                vendor,
                model,
                llm == null ? null : tokens(llm, "input_tokens"),
                llm == null ? null : tokens(llm, "cached_input_tokens"),
                llm == null ? null : tokens(llm, "output_tokens"),
                major,
                currency == null ? null : currency.strip().toLowerCase(Locale.ROOT),
                source,
                UsageCost.dayOf(event.timestamp()),
                event.timestamp());
    }

    private static boolean present(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    private static JsonNode object(JsonNode node, String field) {
        if (!present(node, field)) {
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isObject()) {
            throw new Unreadable("metadata." + field + " is not an object");
        }
        return v;
    }

    /** As billing-core keys its price catalog (ModelPrice.key): trimmed, lower case. */
    private static String key(JsonNode llm, String field) {
        if (!present(llm, field)) {
            return null;
        }
        JsonNode v = llm.get(field);
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw new Unreadable("metadata._llm." + field + " is not a name: " + v);
        }
        return v.textValue().strip().toLowerCase(Locale.ROOT);
    }

    private static Long tokens(JsonNode llm, String field) {
        if (!present(llm, field)) {
            return null;
        }
        JsonNode v = llm.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new Unreadable("metadata._llm." + field + " is not a token count: " + v);
        }
        return v.longValue();
    }

    /** A decimal.handling.mode=string NUMERIC, or a JSON number, read exactly (never via double). */
    private static BigDecimal decimal(JsonNode v, String field) {
        try {
            if (v.isTextual()) {
                return new BigDecimal(v.textValue().strip());
            }
        } catch (NumberFormatException e) {
            throw new Unreadable(field + " is not a decimal: " + v);
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        throw new Unreadable(field + " is not a decimal: " + v);
    }

    private static String required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || !v.isTextual() || v.textValue().isBlank()) {
            throw new Unreadable("cost without a currency/source: '" + field + "' is " + v);
        }
        return v.textValue();
    }
}
