package dev.marginal.billing.meter;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.marginal.billing.problem.Violations;
import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.meter.MeterEvent;
import dev.marginal.pricing.meter.MeterFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Polar's JSON for meter filters and aggregations, to and from the pricing engine's values. */
final class MeterJson {

    static final int MAX_DEPTH = 8;
    static final int MAX_CLAUSES = 100;
    static final int MAX_VALUE_LENGTH = 1000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MeterJson() {
    }

    static MeterFilter filter(JsonNode node, List<Object> loc, Violations violations) {
        return filter(node, loc, violations, 0);
    }

    private static MeterFilter filter(JsonNode node, List<Object> loc, Violations violations, int depth) {
        if (node == null || !node.isObject()) {
            violations.add(loc, node == null ? "Field required" : "Input should be a valid dictionary",
                    node == null ? "missing" : "dict_type");
            return null;
        }
        if (depth > MAX_DEPTH) {
            violations.add(loc, "Filters nest at most " + MAX_DEPTH + " levels", "too_deep");
            return null;
        }
        if (node.has("conjunction") || node.has("clauses")) {
            MeterFilter.Conjunction conjunction = switch (node.path("conjunction").asString("")) {
                case "and" -> MeterFilter.Conjunction.AND;
                case "or" -> MeterFilter.Conjunction.OR;
                default -> {
                    violations.add(append(loc, "conjunction"), "Input should be 'and' or 'or'", "enum");
                    yield null;
                }
            };
            JsonNode clauses = node.get("clauses");
            if (clauses == null || !clauses.isArray()) {
                violations.add(append(loc, "clauses"), "Input should be a valid list", "list_type");
                return null;
            }
            if (clauses.size() > MAX_CLAUSES) {
                violations.add(append(loc, "clauses"), "At most " + MAX_CLAUSES + " clauses", "too_long");
                return null;
            }
            List<MeterFilter> parsed = new ArrayList<>();
            for (int i = 0; i < clauses.size(); i++) {
                parsed.add(filter(clauses.get(i), append(append(loc, "clauses"), i), violations, depth + 1));
            }
            return conjunction == null || parsed.contains(null) ? null : new MeterFilter.Group(conjunction, parsed);
        }
        return clause(node, loc, violations);
    }

    private static MeterFilter clause(JsonNode node, List<Object> loc, Violations violations) {
        int before = violations.count();
        JsonNode property = node.get("property");
        if (property == null || !property.isString() || property.stringValue().isBlank()) {
            violations.add(append(loc, "property"), "Field required", "missing");
        }
        MeterFilter.Operator operator = null;
        try {
            operator = MeterFilter.Operator.valueOf(node.path("operator").asString("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            violations.add(append(loc, "operator"),
                    "Input should be 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'like' or 'not_like'", "enum");
        }
        JsonNode value = node.get("value");
        Object parsed = null;
        if (value != null && value.isString() && value.stringValue().length() <= MAX_VALUE_LENGTH) {
            parsed = value.stringValue();
        } else if (value != null && value.isNumber()) {
            parsed = value.decimalValue();
        } else if (value != null && value.isBoolean()) {
            parsed = value.booleanValue();
        } else {
            violations.add(append(loc, "value"), "Input should be a string (at most " + MAX_VALUE_LENGTH
                    + " characters), a number or a boolean", "union_type");
        }
        return violations.count() > before ? null : new MeterFilter.Clause(property.stringValue(), operator, parsed);
    }

    static Aggregation aggregation(JsonNode node, List<Object> loc, Violations violations) {
        if (node == null || !node.isObject()) {
            violations.add(loc, node == null ? "Field required" : "Input should be a valid dictionary",
                    node == null ? "missing" : "dict_type");
            return null;
        }
        String func = node.path("func").asString("count");
        Aggregation.Function function;
        try {
            function = Aggregation.Function.valueOf(func.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            violations.add(append(loc, "func"), "Input should be 'count', 'sum', 'max', 'min', 'avg' or 'unique'",
                    "union_tag_invalid");
            return null;
        }
        JsonNode property = node.get("property");
        if (function != Aggregation.Function.COUNT && (property == null || !property.isString()
                || property.stringValue().isBlank())) {
            violations.add(append(loc, "property"), "Field required", "missing");
            return null;
        }
        return new Aggregation(function, function == Aggregation.Function.COUNT ? null : property.stringValue());
    }

    static ObjectNode json(MeterFilter filter) {
        if (filter instanceof MeterFilter.Group group) {
            ObjectNode node = JSON.objectNode();
            node.put("conjunction", group.conjunction().name().toLowerCase(Locale.ROOT));
            ArrayNode clauses = node.putArray("clauses");
            group.clauses().forEach(clause -> clauses.add(json(clause)));
            return node;
        }
        MeterFilter.Clause clause = (MeterFilter.Clause) filter;
        ObjectNode node = JSON.objectNode();
        node.put("property", clause.property());
        node.put("operator", clause.operator().name().toLowerCase(Locale.ROOT));
        if (clause.value() instanceof String s) {
            node.put("value", s);
        } else if (clause.value() instanceof BigDecimal d) {
            node.put("value", d);
        } else {
            node.put("value", (Boolean) clause.value());
        }
        return node;
    }

    static ObjectNode json(Aggregation aggregation) {
        ObjectNode node = JSON.objectNode();
        node.put("func", aggregation.function().name().toLowerCase(Locale.ROOT));
        if (aggregation.property() != null) {
            node.put("property", aggregation.property());
        }
        return node;
    }

    /** Stored metadata (exact JSON) as the engine's values: strings, BigDecimals, booleans, maps, lists. */
    static Map<String, Object> values(JsonNode metadata) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value(metadata);
        return map;
    }

    private static Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new java.util.HashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                Object v = value(entry.getValue());
                if (v != null) {
                    map.put(entry.getKey(), v);
                }
            }
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
        return node.asString("");
    }

    static MeterEvent event(String name, String source, java.time.Instant timestamp, JsonNode metadata) {
        return new MeterEvent(name, source, timestamp, values(metadata));
    }

    private static List<Object> append(List<Object> loc, Object part) {
        List<Object> out = new ArrayList<>(loc);
        out.add(part);
        return out;
    }
}
