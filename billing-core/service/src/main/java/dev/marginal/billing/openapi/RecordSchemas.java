package dev.marginal.billing.openapi;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import tools.jackson.databind.PropertyNamingStrategies;

/**
 * JSON Schemas of the records the routes answer with, read from the records themselves the way the
 * service's Jackson writes them (snake_case, every component, nulls included), so the document cannot
 * drift from a response's top-level fields. A record that writes itself ({@code @JsonValue}) has its
 * schema written by hand in openapi.yaml; asking for one that is not there fails.
 */
final class RecordSchemas {

    private static final Snake SNAKE = new Snake();

    /** The service's naming (BillingApplication: snake_case); translate is protected, hence the subclass. */
    private static final class Snake extends PropertyNamingStrategies.SnakeCaseStrategy {
        String name(String component) {
            return translate(component);
        }
    }

    private final Map<String, Object> schemas;
    private final Map<String, Class<?>> named = new LinkedHashMap<>();

    /** @param schemas the document's {@code components.schemas}, added to in place */
    RecordSchemas(Map<String, Object> schemas) {
        this.schemas = schemas;
    }

    /** Adds the record's schema (and those of the records it holds); answers its name. */
    String add(Class<?> record) {
        String name = name(record);
        Class<?> earlier = named.putIfAbsent(name, record);
        if (earlier != null && earlier != record) {
            throw new IllegalStateException("two records are named " + name + ": " + earlier + ", " + record);
        }
        if (earlier != null) {
            return name;
        }
        if (writesItself(record)) {
            if (!schemas.containsKey(name)) {
                throw new IllegalStateException(record + " writes itself (@JsonValue): openapi.yaml must describe "
                        + name);
            }
            return name;
        }
        boolean nullsLeftOut = record.isAnnotationPresent(JsonInclude.class);
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            if (component.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            String property = SNAKE.name(component.getName());
            properties.put(property, schema(component.getGenericType()));
            if (component.getType().isPrimitive() || !nullsLeftOut) {
                required.add(property);
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("x-java-record", record.getName());
        schema.put("required", required);
        schema.put("properties", properties);
        schemas.put(name, schema);
        return name;
    }

    /** Polar's list envelope around {@code record}: {@code <Name>List}. */
    String addList(Class<?> record) {
        String item = add(record);
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("type", "object");
        pagination.put("required", List.of("total_count", "max_page"));
        pagination.put("properties", Map.of("total_count", Map.of("type", "integer"),
                "max_page", Map.of("type", "integer")));
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("type", "object");
        list.put("required", List.of("items", "pagination"));
        list.put("properties", Map.of("items", Map.of("type", "array", "items", ref(item)),
                "pagination", pagination));
        schemas.put(item + "List", list);
        return item + "List";
    }

    static Map<String, Object> ref(String name) {
        return Map.of("$ref", "#/components/schemas/" + name);
    }

    private Map<String, Object> schema(Type type) {
        if (type instanceof WildcardType wildcard) {
            return schema(wildcard.getUpperBounds()[0]);
        }
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                return nullable(Map.of("type", "array", "items", schema(parameterized.getActualTypeArguments()[0])));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return nullable(Map.of("type", "object",
                        "additionalProperties", schema(parameterized.getActualTypeArguments()[1])));
            }
            return schema(raw);
        }
        Class<?> c = (Class<?>) type;
        if (c == long.class || c == int.class) {
            return Map.of("type", "integer", "format", c == long.class ? "int64" : "int32");
        }
        if (c == boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c == Long.class || c == Integer.class) {
            return Map.of("type", List.of("integer", "null"));
        }
        if (c == Boolean.class) {
            return Map.of("type", List.of("boolean", "null"));
        }
        if (c == String.class || c.isEnum()) {
            return Map.of("type", List.of("string", "null"));
        }
        if (c == UUID.class) {
            return Map.of("type", List.of("string", "null"), "format", "uuid");
        }
        if (c == OffsetDateTime.class || c == Instant.class) {
            return Map.of("type", List.of("string", "null"), "format", "date-time");
        }
        if (c == LocalDate.class) {
            return Map.of("type", List.of("string", "null"), "format", "date");
        }
        if (c == BigDecimal.class) {
            return Map.of("type", List.of("number", "null"), "description", "exact decimal");
        }
        if (c.isRecord()) {
            return Map.of("anyOf", List.of(ref(add(c)), Map.of("type", "null")));
        }
        // JsonNode, Object: whatever JSON the row holds (metadata, Polar's not-yet-supported objects)
        return Map.of();
    }

    private static Map<String, Object> nullable(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>(schema);
        out.put("type", List.of(schema.get("type"), "null"));
        return out;
    }

    private static boolean writesItself(Class<?> record) {
        for (Method method : record.getMethods()) {
            if (method.isAnnotationPresent(JsonValue.class)) {
                return true;
            }
        }
        return false;
    }

    /** The record's simple name; a nested record takes its enclosing record's name first (Order.Item: OrderItem). */
    private static String name(Class<?> record) {
        Class<?> outer = record.getEnclosingClass();
        return outer != null && outer.isRecord() ? outer.getSimpleName() + record.getSimpleName()
                : record.getSimpleName();
    }
}
