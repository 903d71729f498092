package dev.marginal.billing.discount;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.marginal.billing.http.Body;
import dev.marginal.billing.problem.Violations;
import dev.marginal.pricing.invoice.DiscountDuration;
import tools.jackson.databind.JsonNode;

/** Polar's {@code DiscountFixedCreate} and {@code DiscountPercentageCreate}, field by field. */
final class DiscountRules {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{3,256}");
    private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");
    private static final long MAX_AMOUNT = 999_999_999_999L;

    private DiscountRules() {
    }

    static DiscountDraft create(JsonNode json) {
        Body body = Body.of(json, new Violations());
        if (body.has("organization_id")) {
            body.violations().add(Body.loc("organization_id"),
                    "Setting organization_id is disallowed when using an organization token.", "organization_token");
        }
        String name = body.text("name", true, 256);
        String code = body.text("code", false, 256);
        if (code != null && !CODE.matcher(code).matches()) {
            body.violations().add(Body.loc("code"), "Must be 3 to 256 letters or digits", "value_error");
        }
        String type = body.text("type", true, 20);
        Integer basisPoints = null;
        Map<String, Long> amounts = null;
        if ("percentage".equals(type)) {
            basisPoints = integer(body, "basis_points", true, 1, 10_000, "a percentage above 0 and at most 100 %");
        } else if ("fixed".equals(type)) {
            amounts = amounts(body);
        } else if (type != null) {
            body.violations().add(Body.loc("type"), "Input should be 'fixed' or 'percentage'", "union_tag_invalid");
        }
        DiscountDuration duration = null;
        String durationText = body.text("duration", true, 20);
        if (durationText != null) {
            try {
                duration = DiscountDuration.fromWire(durationText);
            } catch (IllegalArgumentException e) {
                body.violations().add(Body.loc("duration"), "Input should be 'once', 'forever' or 'repeating'", "enum");
            }
        }
        Integer months = integer(body, "duration_in_months", duration == DiscountDuration.REPEATING, 1, 999,
                "a number of months from 1 to 999");
        if (months != null && duration != null && duration != DiscountDuration.REPEATING) {
            body.violations().add(Body.loc("duration_in_months"), "Must be omitted unless duration is repeating",
                    "value_error");
        }
        OffsetDateTime startsAt = timestamp(body, "starts_at");
        OffsetDateTime endsAt = timestamp(body, "ends_at");
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            body.violations().add(Body.loc("ends_at"), "Must be after starts_at", "value_error");
        }
        Integer max = integer(body, "max_redemptions", false, 1, Integer.MAX_VALUE, "at least 1");
        if (body.has("max_redemptions_per_customer")) {
            body.violations().add(Body.loc("max_redemptions_per_customer"), "Not supported yet", "value_error");
        }
        List<UUID> products = products(body);
        var metadata = body.metadata();
        body.violations().throwIfAny();
        return new DiscountDraft(name, code, type, basisPoints, amounts, duration, months, startsAt, endsAt, max,
                metadata, products);
    }

    /** Polar's {@code amounts} map, or its deprecated {@code amount} + {@code currency} (default usd). */
    private static Map<String, Long> amounts(Body body) {
        Map<String, Long> out = new LinkedHashMap<>();
        JsonNode amounts = body.get("amounts");
        if (amounts != null && !amounts.isNull()) {
            if (!amounts.isObject() || amounts.isEmpty()) {
                body.violations().add(Body.loc("amounts"), "Input should be a non-empty map of currency to amount",
                        "dict_type");
                return null;
            }
            for (var entry : amounts.properties()) {
                if (!isCurrency(entry.getKey())) {
                    body.violations().add(Body.loc("amounts", entry.getKey()),
                            "Keys should be ISO 4217 currency codes in lower case", "enum");
                } else if (!entry.getValue().isIntegralNumber() || entry.getValue().longValue() < 0
                        || entry.getValue().longValue() > MAX_AMOUNT) {
                    body.violations().add(Body.loc("amounts", entry.getKey()),
                            "Input should be a whole amount in minor units, 0 or more", "value_error");
                } else {
                    out.put(entry.getKey(), entry.getValue().longValue());
                }
            }
            return out;
        }
        Integer amount = integer(body, "amount", true, 0, Integer.MAX_VALUE, "a whole amount in minor units, 0 or more");
        String currency = body.text("currency", false, 3);
        currency = currency == null ? "usd" : currency;
        if (!isCurrency(currency)) {
            body.violations().add(Body.loc("currency"), "Input should be an ISO 4217 currency code in lower case", "enum");
        }
        if (amount != null) {
            out.put(currency, amount.longValue());
        }
        return out;
    }

    private static boolean isCurrency(String code) {
        try {
            return CURRENCY.matcher(code).matches() && Currency.getInstance(code.toUpperCase()) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Integer integer(Body body, String field, boolean required, int min, int max, String what) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                body.violations().add(Body.loc(field), "Field required", "missing");
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > max) {
            body.violations().add(Body.loc(field), "Input should be " + what, "value_error");
            return null;
        }
        return (int) value.longValue();
    }

    private static OffsetDateTime timestamp(Body body, String field) {
        String text = body.text(field, false, 64);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeException e) {
            body.violations().add(Body.loc(field), "Input should be a valid datetime", "datetime_parsing");
            return null;
        }
    }

    private static List<UUID> products(Body body) {
        JsonNode products = body.get("products");
        List<UUID> out = new ArrayList<>();
        if (products == null || products.isNull()) {
            return out;
        }
        if (!products.isArray()) {
            body.violations().add(Body.loc("products"), "Input should be a valid list", "list_type");
            return out;
        }
        for (int i = 0; i < products.size(); i++) {
            try {
                out.add(UUID.fromString(products.get(i).asString()));
            } catch (IllegalArgumentException e) {
                body.violations().add(Body.loc("products", i), "Input should be a valid UUID", "uuid_parsing");
            }
        }
        return out;
    }
}
