package dev.marginal.pipelines.flink.accrual;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marginal.pricing.meter.Aggregation;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * A meter's running {@link Aggregation.Partial} as compact JSON for keyed state, and back, exactly:
 * decimals keep their scale (their text), the distinct values of {@code unique} keep their types
 * (a number that is itself a distinct value is kept as the engine keeps it, without trailing zeros).
 */
final class PartialCodec {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private PartialCodec() {
    }

    static String encode(Aggregation.Partial partial) {
        ObjectNode node = JSON.createObjectNode();
        node.put("count", partial.count());
        node.put("sum", partial.sum().toString());
        if (partial.extreme() != null) {
            node.put("extreme", partial.extreme().toString());
        }
        ArrayNode values = node.putArray("values");
        partial.values().forEach(v -> values.add(JSON.valueToTree(v)));
        return node.toString();
    }

    static Aggregation.Partial decode(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            Set<Object> values = new HashSet<>();
            node.path("values").forEach(v -> values.add(v.isNumber() ? v.decimalValue().stripTrailingZeros() : CatalogRows.value(v)));
            return new Aggregation.Partial(node.get("count").longValue(), new BigDecimal(node.get("sum").asText()),
                    node.hasNonNull("extreme") ? new BigDecimal(node.get("extreme").asText()) : null, values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable accrual state: " + json, e);
        }
    }
}
