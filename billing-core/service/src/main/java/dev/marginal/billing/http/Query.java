package dev.marginal.billing.http;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.marginal.billing.problem.Violations;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads query parameters the way FastAPI validates them for Polar: every bad parameter is
 * collected with its location ({@code ["query", "limit"]}) and {@link #done()} answers one 422.
 * Parameters Polar accepts but Marginal does not act on (e.g. {@code organization_id} with an
 * organisation token) are ignored, as Polar ignores them too.
 */
public final class Query {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int MAX_TEXT = 1000;

    private final HttpServletRequest request;
    private final Violations violations = new Violations();

    public Query(HttpServletRequest request) {
        this.request = request;
    }

    public Violations violations() {
        return violations;
    }

    public void done() {
        violations.throwIfAny();
    }

    private static List<Object> loc(String name) {
        return List.of("query", name);
    }

    /** Every value of a repeatable parameter ({@code ?name=a&name=b}); empty when absent. */
    public List<String> strings(String name) {
        String[] values = request.getParameterValues(name);
        List<String> out = new ArrayList<>();
        if (values == null) {
            return out;
        }
        for (String value : values) {
            if (value.length() > MAX_TEXT || value.indexOf('\0') >= 0) {
                violations.add(loc(name), "String should have at most " + MAX_TEXT + " characters", "string_too_long");
            } else {
                out.add(value);
            }
        }
        return out;
    }

    public String string(String name) {
        List<String> values = strings(name);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    public List<UUID> uuids(String name) {
        List<UUID> out = new ArrayList<>();
        for (String value : strings(name)) {
            if (UUID_TEXT.matcher(value).matches()) {
                out.add(UUID.fromString(value));
            } else {
                violations.add(loc(name), "Input should be a valid UUID", "uuid_parsing");
            }
        }
        return out;
    }

    public Integer integer(String name, int min, int max, Integer fallback) {
        String value = string(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min) {
                violations.add(loc(name), "Input should be greater than or equal to " + min, "greater_than_equal");
            } else if (parsed > max) {
                violations.add(loc(name), "Input should be less than or equal to " + max, "less_than_equal");
            } else {
                return parsed;
            }
        } catch (NumberFormatException e) {
            violations.add(loc(name), "Input should be a valid integer", "int_parsing");
        }
        return fallback;
    }

    public PageRequest page() {
        return new PageRequest(integer("page", 1, Integer.MAX_VALUE, 1), integer("limit", 1, PageRequest.MAX_LIMIT, 10));
    }

    public Boolean bool(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> {
                violations.add(loc(name), "Input should be a valid boolean", "bool_parsing");
                yield null;
            }
        };
    }

    /** ISO-8601; a missing offset means UTC, as pydantic reads Polar's naive datetimes. */
    public OffsetDateTime timestamp(String name, boolean required) {
        String value = string(name);
        if (value == null) {
            if (required) {
                violations.add(loc(name), "Field required", "missing");
            }
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(value).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                violations.add(loc(name), "Input should be a valid datetime", "datetime_parsing");
                return null;
            }
        }
    }

    /** One of {@code allowed}; null when absent and not required. */
    public String oneOf(String name, Set<String> allowed, boolean required) {
        String value = string(name);
        if (value == null) {
            if (required) {
                violations.add(loc(name), "Field required", "missing");
            }
            return null;
        }
        if (!allowed.contains(value)) {
            violations.add(loc(name), "Input should be " + String.join(", ", new java.util.TreeSet<>(allowed)), "enum");
            return null;
        }
        return value;
    }

    /**
     * Parameters Polar has that Marginal cannot apply yet are refused, not ignored: ignoring a
     * filter would answer a wrong list. Deep-object names ({@code metadata[plan]}) count by their base.
     */
    public void refuse(Set<String> unsupported) {
        for (String name : request.getParameterMap().keySet()) {
            String base = name.contains("[") ? name.substring(0, name.indexOf('[')) : name;
            if (unsupported.contains(base)) {
                violations.add(loc(base), base + " is not supported yet", "value_error");
            }
        }
    }

    /** Polar's {@code sorting} list, e.g. {@code -timestamp}; only the listed properties are accepted. */
    public List<String> sorting(Set<String> properties, List<String> fallback) {
        List<String> values = strings("sorting");
        if (values.isEmpty()) {
            return fallback;
        }
        for (String value : values) {
            String property = value.startsWith("-") ? value.substring(1) : value;
            if (!properties.contains(property)) {
                violations.add(loc("sorting"), "Input should be one of " + properties + ", optionally prefixed with -",
                        "enum");
            }
        }
        return values;
    }
}
