package dev.marginal.pipelines.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

/**
 * Turns one Debezium change of the {@code events} table (JSON envelope without schemas,
 * {@code {"before","after","source","op","ts_ms"}}) into a {@link RawEvent}, or says why it cannot.
 * Pure: no Flink, no I/O, so every rule is unit-tested.
 */
public final class DebeziumEventParser {

    /** Events are insert-only: a create, or a snapshot read. Anything else is not expected. */
    private static final Set<String> ACCEPTED_OPS = Set.of("c", "r");

    /** A NUMERIC sent as a JSON number (decimal.handling.mode=precise/double) stays exact. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private DebeziumEventParser() {
    }

    public sealed interface Outcome permits Parsed, Skipped, Rejected {
    }

    /**
     * A usable row. Its cost fact is {@code cost}, or, when the row's cost data cannot be read,
     * {@code costProblem} says why: the row still reaches {@code raw.events}, its cost goes to the
     * dead-letter topic instead of {@code usage_costs}.
     */
    public record Parsed(RawEvent event, UsageCost cost, String costProblem) implements Outcome {
    }

    /** Not a change at all (a Kafka tombstone); dropped quietly. */
    public record Skipped(String why) implements Outcome {
    }

    /** A change this job cannot use; goes to the dead-letter topic with the reason. */
    public record Rejected(String reason) implements Outcome {
    }

    public static Outcome parse(String value) {
        if (value == null) {
            return new Skipped("tombstone");
        }
        JsonNode envelope;
        try {
            envelope = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return new Rejected("not JSON: " + e.getOriginalMessage());
        }
        if (envelope == null || !envelope.isObject()) {
            return new Rejected("not a Debezium envelope: expected a JSON object");
        }
        if (envelope.has("payload") && envelope.has("schema")) {
            return new Rejected("envelope has a schema; the CDC runner must write JSON without schemas");
        }
        String op = text(envelope, "op");
        if (op == null) {
            return new Rejected("missing op");
        }
        if (!ACCEPTED_OPS.contains(op)) {
            return new Rejected("unsupported op '" + op + "': events are insert-only");
        }
        JsonNode after = envelope.get("after");
        if (after == null || !after.isObject()) {
            return new Rejected("op '" + op + "' without an 'after' row");
        }
        RawEvent event;
        try {
            event = toEvent(op, after, envelope);
        } catch (BadField e) {
            return new Rejected(e.getMessage());
        }
        try {
            return new Parsed(event, UsageCostReader.read(after, event), null);
        } catch (UsageCostReader.Unreadable e) {
            return new Parsed(event, null, "usage cost: " + e.getMessage());
        }
    }

    private static RawEvent toEvent(String op, JsonNode after, JsonNode envelope) {
        JsonNode source = envelope.path("source");
        return new RawEvent(
                uuid(after, "id", true),
                uuid(after, "organization_id", true),
                uuid(after, "customer_id", false),
                string(after, "external_customer_id", false),
                string(after, "external_id", false),
                string(after, "name", true),
                timestamp(after, "timestamp", true),
                metadata(after),
                string(after, "source", true),
                timestamp(after, "ingested_at", true),
                op,
                lsn(source),
                changeTime(source, envelope),
                // Absent in changes from a billing-core before its V22 migration: null, not a rejection.
                string(after, "trace_id", false));
    }

    private static String uuid(JsonNode row, String field, boolean required) {
        String s = string(row, field, required);
        if (s != null) {
            try {
                UUID.fromString(s);
            } catch (IllegalArgumentException e) {
                throw new BadField("field '" + field + "' is not a UUID: " + s);
            }
        }
        return s;
    }

    private static String string(JsonNode row, String field, boolean required) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new BadField("missing required field '" + field + "'");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new BadField("field '" + field + "' is not a string: " + node);
        }
        return node.textValue();
    }

    /**
     * Debezium writes {@code timestamptz} as an ISO-8601 string with up to microseconds (its
     * ZonedTimestamp); PostgreSQL has no finer precision, so micros are kept exactly.
     */
    private static Instant timestamp(JsonNode row, String field, boolean required) {
        String s = string(row, field, required);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new BadField("field '" + field + "' is not an ISO-8601 timestamp with offset: " + s);
        }
    }

    /** {@code jsonb} arrives as its JSON text; kept verbatim so the warehouse sees what PostgreSQL stored. */
    private static String metadata(JsonNode row) {
        JsonNode node = row.get("metadata");
        if (node == null || node.isNull()) {
            throw new BadField("missing required field 'metadata'");
        }
        if (node.isTextual()) {
            try {
                JSON.readTree(node.textValue());
            } catch (JsonProcessingException e) {
                throw new BadField("field 'metadata' is not JSON text");
            }
            return node.textValue();
        }
        if (node.isObject()) {
            return node.toString();
        }
        throw new BadField("field 'metadata' is not a JSON object");
    }

    private static Long lsn(JsonNode source) {
        JsonNode lsn = source.get("lsn");
        if (lsn == null || lsn.isNull()) {
            return null;
        }
        if (!lsn.canConvertToLong()) {
            throw new BadField("source.lsn is not a number: " + lsn);
        }
        return lsn.longValue();
    }

    /** When PostgreSQL committed the change (source.ts_us, else ts_ms), else when Debezium saw it. */
    public static Instant changeTime(JsonNode source, JsonNode envelope) {
        if (source.path("ts_us").canConvertToLong()) {
            return Instant.EPOCH.plus(source.get("ts_us").longValue(), ChronoUnit.MICROS);
        }
        if (source.path("ts_ms").canConvertToLong()) {
            return Instant.ofEpochMilli(source.get("ts_ms").longValue());
        }
        if (envelope.path("ts_ms").canConvertToLong()) {
            return Instant.ofEpochMilli(envelope.get("ts_ms").longValue());
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    private static final class BadField extends RuntimeException {
        BadField(String message) {
            super(message, null, false, false);
        }
    }
}
