package dev.marginal.billing.http;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.marginal.billing.problem.Violations;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a JSON object body field by field with pydantic's error items ({@code ["body", "email"]},
 * {@code missing}, {@code string_type}, …), so a client fixes every field in one round trip.
 */
public final class Body {

    /** Polar's {@code MetadataInputMixin}: at most 50 keys of at most 40 characters. */
    public static final int MAX_METADATA_KEYS = 50;
    public static final int MAX_METADATA_KEY_LENGTH = 40;
    public static final int MAX_METADATA_STRING = 500;

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final JsonNode node;
    private final Violations violations;

    private Body(JsonNode node, Violations violations) {
        this.node = node;
        this.violations = violations;
    }

    /** The body must be an object; otherwise a 422 is thrown at once. */
    public static Body of(JsonNode body, Violations violations) {
        if (body == null || !body.isObject()) {
            violations.add(List.of("body"), body == null ? "Field required" : "Input should be a valid dictionary",
                    body == null ? "missing" : "dict_type");
            violations.throwIfAny();
        }
        return new Body(body, violations);
    }

    public Violations violations() {
        return violations;
    }

    public static List<Object> loc(Object... path) {
        List<Object> loc = new ArrayList<>();
        loc.add("body");
        loc.addAll(List.of(path));
        return loc;
    }

    /** Present and not JSON null. */
    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** Present, possibly as JSON null (PATCH: null clears a field). */
    public boolean sent(String field) {
        return node.has(field);
    }

    public JsonNode get(String field) {
        return node.get(field);
    }

    public String text(String field, boolean required, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(loc(field), "Field required", "missing");
            }
            return null;
        }
        if (!value.isString()) {
            violations.add(loc(field), "Input should be a valid string", "string_type");
            return null;
        }
        String text = value.stringValue();
        if (text.isBlank()) {
            violations.add(loc(field), "String should have at least 1 character", "string_too_short");
        } else if (text.length() > maxLength) {
            violations.add(loc(field), "String should have at most " + maxLength + " characters", "string_too_long");
        } else if (text.indexOf('\0') >= 0) {
            violations.add(loc(field), "NUL characters are not allowed", "value_error");
        } else {
            return text;
        }
        return null;
    }

    /** An ISO 8601 date-time with an offset (Polar's {@code datetime} fields), in UTC; null when absent or invalid. */
    public OffsetDateTime dateTime(String field, boolean required) {
        String text = text(field, required, 64);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            violations.add(loc(field), "Input should be a valid datetime with a time zone offset, such as "
                    + "2026-03-01T00:00:00Z", "datetime_parsing");
            return null;
        }
    }

    /** A JSON integer (Polar's {@code int} fields, e.g. amounts in minor units); null when absent or invalid. */
    public Long whole(String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(loc(field), "Field required", "missing");
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            violations.add(loc(field), "Input should be a valid integer", "int_type");
            return null;
        }
        return value.longValue();
    }

    /** A UUID given as a string (ids in a body); null when absent or invalid. */
    public UUID uuid(String field, boolean required) {
        String text = text(field, required, 36);
        if (text == null) {
            return null;
        }
        if (!UUID_TEXT.matcher(text).matches()) {
            violations.add(loc(field), "Input should be a valid UUID", "uuid_parsing");
            return null;
        }
        return UUID.fromString(text);
    }

    public BigDecimal decimal(String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(loc(field), "Field required", "missing");
            }
            return null;
        }
        try {
            if (value.isNumber()) {
                return value.decimalValue();
            }
            if (value.isString()) {
                return new BigDecimal(value.stringValue().strip());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(loc(field), "Input should be a valid decimal", "decimal_parsing");
        return null;
    }

    public Boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            violations.add(loc(field), "Input should be a valid boolean", "bool_type");
            return null;
        }
        return value.booleanValue();
    }

    /** Polar's metadata: string (≤ 500), integer, number or boolean values; {@code {}} when absent. */
    public ObjectNode metadata() {
        JsonNode value = node.get("metadata");
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!value.isObject()) {
            violations.add(loc("metadata"), "Input should be a valid dictionary", "dict_type");
            return null;
        }
        int before = violations.count();
        if (value.size() > MAX_METADATA_KEYS) {
            violations.add(loc("metadata"), "Dictionary should have at most " + MAX_METADATA_KEYS + " items",
                    "too_long");
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            List<Object> at = loc("metadata", entry.getKey());
            String key = entry.getKey();
            JsonNode v = entry.getValue();
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH || key.indexOf('\0') >= 0) {
                violations.add(at, "Keys should have 1 to " + MAX_METADATA_KEY_LENGTH + " characters", "string_too_long");
            } else if (v.isString()) {
                if (v.stringValue().length() > MAX_METADATA_STRING || v.stringValue().indexOf('\0') >= 0) {
                    violations.add(at, "String should have at most " + MAX_METADATA_STRING + " characters",
                            "string_too_long");
                }
            } else if (!v.isNumber() && !v.isBoolean()) {
                violations.add(at, "Input should be a valid string, integer, number or boolean", "union_type");
            }
        }
        return violations.count() > before ? null : (ObjectNode) value;
    }
}
