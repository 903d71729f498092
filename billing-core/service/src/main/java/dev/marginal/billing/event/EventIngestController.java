package dev.marginal.billing.event;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.TraceContext;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;

/** {@code POST /v1/events/ingest}: usage events in Polar's shape, so Polar's SDKs work unchanged. */
@RestController
public class EventIngestController {

    /** 10,000 events of about 500 bytes each. */
    public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final EventBatchReader reader;
    private final EventIngestion ingestion;

    private final AuditLog audit;
    private final BillingClock clock;
    private final Counter inserted;
    private final Counter duplicates;
    private final DistributionSummary batchSizes;

    public EventIngestController(Organizations organizations, JsonBody jsonBody, EventBatchReader reader,
                                 EventIngestion ingestion, AuditLog audit, BillingClock clock, MeterRegistry meters) {
        // Events/s is rate(marginal_ingest_events_total[…]); the batch buckets show whether clients batch
        // (docs/operations.md): HTTP request counts alone cannot tell 1 event per request from 10,000.
        this.inserted = Counter.builder("marginal.ingest.events").tag("result", "inserted")
                .description("Usage events stored by POST /v1/events/ingest").register(meters);
        this.duplicates = Counter.builder("marginal.ingest.events").tag("result", "duplicate")
                .description("Usage events acknowledged as duplicates of stored ones (same external_id)").register(meters);
        this.batchSizes = DistributionSummary.builder("marginal.ingest.batch.events").baseUnit("events")
                .description("Events per accepted POST /v1/events/ingest")
                .serviceLevelObjectives(1, 10, 100, 1_000, 10_000).register(meters);
        this.audit = audit;
        this.clock = clock;
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.reader = reader;
        this.ingestion = ingestion;
    }

    @PostMapping("/v1/events/ingest")
    @Transactional
    IngestResult ingest(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                        HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.EVENTS_WRITE);
        List<EventDraft> events = reader.read(jsonBody.read(request, MAX_BODY_BYTES), clock.now(grant.organizationId()));
        IngestResult result = ingestion.ingest(grant.organizationId(), events, TraceContext.of(request));
        // One row per batch, not per event: the events table is itself an append-only record of each.
        audit.record(grant.organizationId(), "events.ingested", "event_batch", null, null, result);
        inserted.increment(result.inserted());
        duplicates.increment(result.duplicates());
        batchSizes.record(events.size());
        return result;
    }
}
