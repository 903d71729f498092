package dev.marginal.billing.event;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.marginal.billing.problem.Violations;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code metadata} may hold. Free-form keys are kept as sent; the two keys the cost pipeline
 * reads are checked like Polar's {@code LLMMetadata} and {@code CostMetadata}:
 * <pre>
 * "_llm":  {"vendor": "openai", "model": "gpt-4o", "input_tokens": 812, "output_tokens": 95,
 *           "total_tokens": 907, "cached_input_tokens": 512}
 * "_cost": {"amount": 0.4213, "currency": "usd"}      // cents, at most 12 decimals
 * </pre>
 */
final class EventMetadataRules {

    /** {@code NUMERIC(38,12)}, the column every cost lands in downstream. */
    static final int COST_SCALE = 12;
    static final int COST_INTEGER_DIGITS = 38 - COST_SCALE;
    /** Far inside PostgreSQL's numeric range, so no metadata number can fail at insert time. */
    private static final int MAX_NUMBER_DIGITS = 1000;
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final List<String> REQUIRED_TOKEN_COUNTS = List.of("input_tokens", "output_tokens", "total_tokens");

    private EventMetadataRules() {
    }

    /** Returns the metadata to store ({@code {}} when absent), or null after recording violations. */
    static ObjectNode check(JsonNode metadata, List<Object> loc, Violations violations) {
        if (metadata == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!metadata.isObject()) {
            violations.add(loc, "Input should be a valid dictionary", "dict_type");
            return null;
        }
        int before = violations.count();
        checkStorable(metadata, loc, violations);
        ObjectNode object = (ObjectNode) metadata;
        if (object.has("_llm")) {
            checkLlm(object.get("_llm"), append(loc, "_llm"), violations);
        }
        if (object.has("_cost")) {
            checkCost(object.get("_cost"), append(loc, "_cost"), violations);
        }
        return violations.count() > before ? null : object;
    }

    /** PostgreSQL rejects NUL in text and jsonb, and numbers beyond its numeric range: catch both here. */
    private static void checkStorable(JsonNode node, List<Object> loc, Violations violations) {
        if (node.isString() && node.stringValue().indexOf('\0') >= 0) {
            violations.add(loc, "NUL characters are not allowed", "value_error");
        } else if (node.isNumber() && !node.isIntegralNumber()) {
            BigDecimal number = node.decimalValue();
            if (Math.abs(number.scale()) > MAX_NUMBER_DIGITS || number.precision() > MAX_NUMBER_DIGITS) {
                violations.add(loc, "Number is out of range", "value_error");
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                List<Object> at = append(loc, entry.getKey());
                if (entry.getKey().indexOf('\0') >= 0) {
                    violations.add(at, "NUL characters are not allowed in keys", "value_error");
                } else {
                    checkStorable(entry.getValue(), at, violations);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkStorable(node.get(i), append(loc, i), violations);
            }
        }
    }

    private static void checkLlm(JsonNode llm, List<Object> loc, Violations violations) {
        if (llm == null || !llm.isObject()) {
            violations.add(loc, "Input should be a valid dictionary", "dict_type");
            return;
        }
        requiredString(llm, "vendor", loc, violations);
        requiredString(llm, "model", loc, violations);
        for (String field : REQUIRED_TOKEN_COUNTS) {
            tokenCount(llm.get(field), true, append(loc, field), violations);
        }
        tokenCount(llm.get("cached_input_tokens"), false, append(loc, "cached_input_tokens"), violations);
        for (String field : List.of("prompt", "response")) {
            JsonNode value = llm.get(field);
            if (value != null && !value.isNull() && !value.isString()) {
                violations.add(append(loc, field), "Input should be a valid string", "string_type");
            }
        }
    }

    private static void checkCost(JsonNode cost, List<Object> loc, Violations violations) {
        if (cost == null || !cost.isObject()) {
            violations.add(loc, "Input should be a valid dictionary", "dict_type");
            return;
        }
        BigDecimal amount = costAmount(cost.get("amount"), append(loc, "amount"), violations);
        if (amount != null && cost.get("amount").isString()) {
            // Python clients send Decimals as strings; downstream readers see one type, a JSON number.
            ((ObjectNode) cost).put("amount", amount);
        }
        JsonNode currency = cost.get("currency");
        List<Object> currencyLoc = append(loc, "currency");
        if (currency == null || currency.isNull()) {
            violations.add(currencyLoc, "Field required", "missing");
        } else if (!currency.isString()) {
            violations.add(currencyLoc, "Input should be a valid string", "string_type");
        } else if (!CURRENCY.matcher(currency.stringValue()).matches()) {
            violations.add(currencyLoc, "Currency should be a 3-letter ISO-4217 code, e.g. usd",
                    "string_pattern_mismatch");
        } else if (!isKnownCurrency(currency.stringValue())) {
            violations.add(currencyLoc, "Unknown ISO-4217 currency: " + currency.stringValue(), "value_error");
        }
    }

    /** Cents, as a number ≥ 0 with at most 12 decimals (a string of one is accepted, as pydantic does). */
    private static BigDecimal costAmount(JsonNode value, List<Object> loc, Violations violations) {
        if (value == null || value.isNull()) {
            violations.add(loc, "Field required", "missing");
            return null;
        }
        BigDecimal amount;
        if (value.isNumber()) {
            amount = value.decimalValue();
        } else if (value.isString()) {
            try {
                amount = new BigDecimal(value.stringValue().strip());
            } catch (NumberFormatException e) {
                violations.add(loc, "Input should be a valid decimal", "decimal_parsing");
                return null;
            }
        } else {
            violations.add(loc, "Decimal input should be a number or a string", "decimal_type");
            return null;
        }
        BigDecimal normalized = amount.stripTrailingZeros();
        if (amount.signum() < 0) {
            violations.add(loc, "Input should be greater than or equal to 0", "greater_than_equal");
        } else if (normalized.scale() > COST_SCALE) {
            violations.add(loc, "Decimal input should have no more than " + COST_SCALE + " decimal places",
                    "decimal_max_places");
        } else if (normalized.precision() - normalized.scale() > COST_INTEGER_DIGITS) {
            violations.add(loc, "Decimal input should have no more than " + COST_INTEGER_DIGITS
                    + " digits before the decimal point", "decimal_whole_digits");
        } else {
            return amount;
        }
        return null;
    }

    private static void requiredString(JsonNode parent, String field, List<Object> loc, Violations violations) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            violations.add(append(loc, field), "Field required", "missing");
        } else if (!value.isString()) {
            violations.add(append(loc, field), "Input should be a valid string", "string_type");
        }
    }

    private static void tokenCount(JsonNode value, boolean required, List<Object> loc, Violations violations) {
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(loc, "Field required", "missing");
            }
        } else if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            violations.add(loc, "Input should be a valid integer", "int_type");
        } else if (value.longValue() < 0) {
            violations.add(loc, "Input should be greater than or equal to 0", "greater_than_equal");
        }
    }

    private static boolean isKnownCurrency(String code) {
        try {
            Currency.getInstance(code.toUpperCase(java.util.Locale.ROOT));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<Object> append(List<Object> loc, Object part) {
        List<Object> out = new ArrayList<>(loc.size() + 1);
        out.addAll(loc);
        out.add(part);
        return out;
    }
}
