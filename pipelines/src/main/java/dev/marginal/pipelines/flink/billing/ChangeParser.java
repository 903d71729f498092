package dev.marginal.pipelines.flink.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marginal.pipelines.cdc.CdcTables;
import dev.marginal.pipelines.flink.DebeziumEventParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Debezium change of any captured billing-core table (JSON without schemas) → {@link CdcChange},
 * or why not. Pure, like {@code DebeziumEventParser}: the table is named by the topic, the key is
 * the row's {@code id} (or its composite key, {@link CdcTables#COMPOSITE_KEYS}), and the row itself
 * is kept as JSON for the warehouse's views to type.
 */
public final class ChangeParser {

    private static final Set<String> OPS = Set.of("r", "c", "u", "d");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final String TOPIC_PREFIX = "marginal.cdc.";

    private ChangeParser() {
    }

    public sealed interface Outcome permits Parsed, Skipped, Rejected {
    }

    public record Parsed(CdcChange change) implements Outcome {
    }

    public record Skipped(String why) implements Outcome {
    }

    public record Rejected(String reason) implements Outcome {
    }

    public static Outcome parse(String topic, String value) {
        if (value == null) {
            return new Skipped("tombstone");
        }
        if (topic == null || !topic.startsWith(TOPIC_PREFIX) || topic.length() == TOPIC_PREFIX.length()) {
            return new Rejected("not a CDC topic: " + topic);
        }
        String table = topic.substring(TOPIC_PREFIX.length());
        JsonNode envelope;
        try {
            envelope = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return new Rejected("not JSON: " + e.getOriginalMessage());
        }
        if (envelope == null || !envelope.isObject()) {
            return new Rejected("not a Debezium envelope: expected a JSON object");
        }
        JsonNode opNode = envelope.get("op");
        if (opNode == null || !opNode.isTextual() || !OPS.contains(opNode.textValue())) {
            return new Rejected("missing or unsupported op: " + opNode);
        }
        String op = opNode.textValue();
        JsonNode row = envelope.get(op.equals(CdcChange.DELETE) ? "before" : "after");
        if (row == null || !row.isObject()) {
            return new Rejected("op '" + op + "' without its " + (op.equals(CdcChange.DELETE) ? "'before'" : "'after'") + " row");
        }
        String id = key(table, row);
        if (id == null) {
            return new Rejected("row of " + table + (CdcTables.COMPOSITE_KEYS.containsKey(table)
                    ? " without its key columns " + CdcTables.COMPOSITE_KEYS.get(table) : " without an 'id'"));
        }
        JsonNode organization = row.get("organization_id");
        String organizationId = organization == null || organization.isNull() ? null : organization.asText();
        JsonNode source = envelope.path("source");
        Long lsn = source.path("lsn").canConvertToLong() ? source.get("lsn").longValue() : null;
        return new Parsed(new CdcChange(table, id, organizationId, op, lsn, DebeziumEventParser.changeTime(source, envelope),
                row.toString()));
    }

    /** The row's {@code id}, or its composite key's columns joined by '/'; null when a key column is missing. */
    private static String key(String table, JsonNode row) {
        List<String> parts = new ArrayList<>();
        for (String column : CdcTables.COMPOSITE_KEYS.getOrDefault(table, List.of("id"))) {
            JsonNode value = row.get(column);
            if (value == null || value.isNull() || value.isContainerNode()) {
                return null;
            }
            parts.add(value.asText());
        }
        return String.join("/", parts);
    }
}
