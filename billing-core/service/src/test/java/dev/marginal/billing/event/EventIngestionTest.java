package dev.marginal.billing.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.JsonNodeFactory;

class EventIngestionTest {

    private static EventDraft event(String name, String externalId) {
        return new EventDraft(name, null, "cus_42", externalId, OffsetDateTime.parse("2025-01-01T00:00:00Z"),
                JsonNodeFactory.instance.objectNode());
    }

    @Test
    void theFirstEventWithAnExternalIdWinsWithinABatch() {
        List<EventDraft> unique = EventIngestion.firstPerExternalId(List.of(
                event("first", "evt_1"), event("second", "evt_1"), event("no-key", null), event("no-key", null)));

        // Events without an external_id are never duplicates of each other.
        assertThat(unique).extracting(EventDraft::name).containsExactly("first", "no-key", "no-key");
    }
}
