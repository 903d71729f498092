package dev.marginal.billing.event;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
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

    public EventIngestController(Organizations organizations, JsonBody jsonBody, EventBatchReader reader,
                                 EventIngestion ingestion) {
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.reader = reader;
        this.ingestion = ingestion;
    }

    @PostMapping("/v1/events/ingest")
    IngestResult ingest(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                        HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.EVENTS_WRITE);
        List<EventDraft> events = reader.read(jsonBody.read(request, MAX_BODY_BYTES));
        return ingestion.ingest(grant.organizationId(), events);
    }
}
