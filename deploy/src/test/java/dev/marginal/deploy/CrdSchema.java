package dev.marginal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CRD's structural OpenAPI v3 schema applied as the API server applies it with strict field
 * validation: types, enums, required fields, and unknown fields rejected except where the schema
 * says {@code x-kubernetes-preserve-unknown-fields}. {@code metadata} is the API server's own
 * ObjectMeta, which callers check with the typed model.
 */
final class CrdSchema {

    private CrdSchema() {
    }

    static List<String> violations(JsonNode value, JsonNode schema) {
        List<String> out = new ArrayList<>();
        check(value, schema, "", out);
        return out;
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> out) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean()) {
                out.add(path + ": null");
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                out.add(path + ": " + value + " is neither an integer nor a string");
            }
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.path("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                out.add(path + ": " + value + " is not one of " + schema.path("enum"));
            }
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        switch (schema.path("type").asText(preserve ? "" : "object")) {
            case "object" -> checkObject(value, schema, path, preserve, out);
            case "array" -> {
                if (!value.isArray()) {
                    out.add(path + ": " + value + " is not an array");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.path("items"), path + "[" + i + "]", out);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    out.add(path + ": " + value + " is not a string");
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    out.add(path + ": " + value + " is not an integer");
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    out.add(path + ": " + value + " is not a number");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    out.add(path + ": " + value + " is not a boolean");
                }
            }
            default -> {
                // preserve-unknown-fields without a type: anything goes
            }
        }
    }

    private static void checkObject(JsonNode value, JsonNode schema, String path, boolean preserve, List<String> out) {
        if (!value.isObject()) {
            out.add(path + ": " + value + " is not an object");
            return;
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String child = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.path(field.getKey()), child, out);
            } else if (additional.isObject()) {
                check(field.getValue(), additional, child, out);
            } else if (!preserve && !(path.isEmpty() && Set.of("apiVersion", "kind", "metadata").contains(field.getKey()))) {
                out.add(child + ": unknown field");
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                out.add(path + "." + required.asText() + ": required");
            }
        }
    }
}
