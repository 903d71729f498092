package dev.marginal.billing.event;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.marginal.billing.problem.Violations;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of {@code POST /v1/events/ingest} (Polar's {@code EventsIngest} shape). The whole
 * batch is checked before anything is written; every error is reported with its location, e.g.
 * {@code ["body", "events", 3, "name"]}.
 */
@Component
public class EventBatchReader {

    public static final int MAX_EVENTS = 10_000;
    public static final int MAX_TEXT_LENGTH = 400;
    /** Clients' clocks run ahead; a minute of skew is tolerated, anything later is a mistake. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * Validates {@code {"events": [...]}} whole; throws a 422 listing every error, or returns all
     * events. {@code now} decides what "in the past" means: the organisation's time (its test
     * clock's, if it has one).
     */
    public List<EventDraft> read(JsonNode body, Instant now) {
        Violations violations = new Violations();
        if (body == null) {
            violations.add(List.of("body"), "Field required", "missing");
            violations.throwIfAny();
        }
        if (!body.isObject()) {
            violations.add(List.of("body"), "Input should be a valid dictionary", "dict_type");
            violations.throwIfAny();
        }
        JsonNode events = body.get("events");
        if (events == null || events.isNull()) {
            violations.add(List.of("body", "events"), "Field required", "missing");
        } else if (!events.isArray()) {
            violations.add(List.of("body", "events"), "Input should be a valid list", "list_type");
        } else if (events.size() > MAX_EVENTS) {
            violations.add(List.of("body", "events"),
                    "List should have at most " + MAX_EVENTS + " items, not " + events.size()
                            + "; split it into smaller batches", "too_long");
        }
        violations.throwIfAny();

        OffsetDateTime at = now.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        List<EventDraft> drafts = new ArrayList<>(events.size());
        for (int index = 0; index < events.size(); index++) {
            EventDraft draft = readEvent(events.get(index), new Location(index), at, violations);
            if (draft != null) {
                drafts.add(draft);
            }
        }
        violations.throwIfAny();
        return drafts;
    }

    /** Builds {@code ["body", "events", index, ...]}. */
    private record Location(int index) {
        List<Object> at(Object... path) {
            List<Object> loc = new ArrayList<>(3 + path.length);
            loc.add("body");
            loc.add("events");
            loc.add(index);
            loc.addAll(List.of(path));
            return loc;
        }
    }

    private EventDraft readEvent(JsonNode event, Location loc, OffsetDateTime now, Violations violations) {
        if (event == null || !event.isObject()) {
            violations.add(loc.at(), "Input should be a valid dictionary", "dict_type");
            return null;
        }
        int before = violations.count();

        String name = requiredText(event, "name", loc, violations);
        String externalId = optionalText(event, "external_id", loc, violations);
        rejectPresent(event, "organization_id", loc, violations,
                "Setting organization_id is disallowed when using an organization token.", "organization_token");
        rejectPresent(event, "parent_id", loc, violations,
                "parent_id is not supported yet.", "value_error");

        JsonNode customerIdNode = present(event, "customer_id");
        JsonNode externalCustomerNode = present(event, "external_customer_id");
        UUID customerId = null;
        String externalCustomerId = null;
        if (customerIdNode == null && externalCustomerNode == null) {
            violations.add(loc.at("external_customer_id"),
                    "Field required: set external_customer_id or customer_id", "missing");
        } else if (customerIdNode != null && externalCustomerNode != null) {
            violations.add(loc.at("customer_id"),
                    "Set exactly one of customer_id and external_customer_id, not both", "value_error");
        } else if (customerIdNode != null) {
            customerId = uuid(customerIdNode, loc.at("customer_id"), violations);
        } else {
            externalCustomerId = optionalText(event, "external_customer_id", loc, violations);
        }

        OffsetDateTime timestamp = timestamp(present(event, "timestamp"), loc, now, violations);
        ObjectNode metadata = EventMetadataRules.check(present(event, "metadata"), loc.at("metadata"), violations);

        if (violations.count() > before) {
            return null;
        }
        return new EventDraft(name, customerId, externalCustomerId, externalId, timestamp, metadata);
    }

    private static JsonNode present(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static String requiredText(JsonNode event, String field, Location loc, Violations violations) {
        if (present(event, field) == null) {
            violations.add(loc.at(field), "Field required", "missing");
            return null;
        }
        return optionalText(event, field, loc, violations);
    }

    /** A non-blank string of at most {@value #MAX_TEXT_LENGTH} characters, or null when absent. */
    private static String optionalText(JsonNode event, String field, Location loc, Violations violations) {
        JsonNode value = present(event, field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            violations.add(loc.at(field), "Input should be a valid string", "string_type");
            return null;
        }
        String text = value.stringValue();
        if (text.isBlank()) {
            violations.add(loc.at(field), "String should have at least 1 non-blank character", "string_too_short");
        } else if (text.length() > MAX_TEXT_LENGTH) {
            violations.add(loc.at(field), "String should have at most " + MAX_TEXT_LENGTH + " characters",
                    "string_too_long");
        } else if (text.indexOf('\0') >= 0) {
            violations.add(loc.at(field), "NUL characters are not allowed", "value_error");
        } else {
            return text;
        }
        return null;
    }

    private static void rejectPresent(JsonNode event, String field, Location loc, Violations violations,
                                      String msg, String type) {
        if (present(event, field) != null) {
            violations.add(loc.at(field), msg, type);
        }
    }

    private static UUID uuid(JsonNode value, List<Object> loc, Violations violations) {
        if (!value.isString() || !UUID_TEXT.matcher(value.stringValue()).matches()) {
            violations.add(loc, "Input should be a valid UUID", "uuid_parsing");
            return null;
        }
        return UUID.fromString(value.stringValue());
    }

    /** ISO-8601 with an offset; absent means now; truncated to microseconds as PostgreSQL stores it. */
    private static OffsetDateTime timestamp(JsonNode value, Location loc, OffsetDateTime now,
                                            Violations violations) {
        if (value == null) {
            return now;
        }
        if (!value.isString()) {
            violations.add(loc.at("timestamp"), "Input should be a valid datetime string", "datetime_type");
            return null;
        }
        OffsetDateTime parsed;
        try {
            parsed = OffsetDateTime.parse(value.stringValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            if (isLocalDateTime(value.stringValue())) {
                violations.add(loc.at("timestamp"), "Input should have timezone info", "timezone_aware");
            } else {
                violations.add(loc.at("timestamp"),
                        "Input should be a valid ISO-8601 datetime with an offset, e.g. 2025-01-31T12:00:00Z",
                        "datetime_parsing");
            }
            return null;
        }
        OffsetDateTime utc = parsed.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        if (utc.getYear() < 1) {
            violations.add(loc.at("timestamp"), "Datetime should be after year 1", "datetime_parsing");
            return null;
        }
        if (utc.isAfter(now.plus(CLOCK_SKEW))) {
            violations.add(loc.at("timestamp"),
                    "Timestamp must be in the past (up to " + CLOCK_SKEW.toSeconds() + " s of clock skew is tolerated)",
                    "value_error");
            return null;
        }
        return utc;
    }

    private static boolean isLocalDateTime(String text) {
        try {
            LocalDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
