package dev.marginal.billing.event;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;

/**
 * Stores a validated batch once per {@code external_id}: the first occurrence in a batch wins,
 * later ones in the same batch and ones seen in earlier batches count as duplicates.
 */
@Service
public class EventIngestion {

    private final EventRepository repository;
    private final EventCosting costing;

    public EventIngestion(EventRepository repository, EventCosting costing) {
        this.repository = repository;
        this.costing = costing;
    }

    public IngestResult ingest(UUID organizationId, List<EventDraft> events) {
        return ingest(organizationId, events, null);
    }

    /** @param traceId the request's trace id, stored on every event of the batch; null for none */
    public IngestResult ingest(UUID organizationId, List<EventDraft> events, String traceId) {
        List<EventDraft> firstOccurrences = firstPerExternalId(events);
        List<EventCost> costs = costing.costs(organizationId, firstOccurrences);
        int inserted = repository.insert(organizationId, firstOccurrences, costs, traceId);
        return new IngestResult(inserted, events.size() - inserted);
    }

    /** Deduplicating here, not only in SQL, makes "which one wins" the client's order, not the planner's. */
    static List<EventDraft> firstPerExternalId(List<EventDraft> events) {
        Set<String> seen = new HashSet<>();
        List<EventDraft> unique = new ArrayList<>(events.size());
        for (EventDraft event : events) {
            if (event.externalId() == null || seen.add(event.externalId())) {
                unique.add(event);
            }
        }
        return unique;
    }
}
