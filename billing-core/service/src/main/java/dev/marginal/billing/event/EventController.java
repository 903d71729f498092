package dev.marginal.billing.event;

import java.util.List;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.http.ListResource;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.http.PathIds;
import dev.marginal.billing.http.Query;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import dev.marginal.billing.problem.ApiException;
import jakarta.servlet.http.HttpServletRequest;

/** {@code GET /v1/events/} and {@code GET /v1/events/{id}}, Polar's shapes. */
@RestController
public class EventController {

    private final Organizations organizations;
    private final EventQueries queries;

    public EventController(Organizations organizations, EventQueries queries) {
        this.organizations = organizations;
        this.queries = queries;
    }

    @GetMapping({"/v1/events/", "/v1/events"})
    ListResource<EventView> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                 HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .requireAny(Scope.EVENTS_READ, Scope.EVENTS_WRITE);
        Query query = new Query(request);
        PageRequest page = query.page();
        EventQueries.Filter filter = new EventQueries.Filter(query.uuids("customer_id"),
                query.strings("external_customer_id"), query.strings("name"),
                query.timestamp("start_timestamp", false), query.timestamp("end_timestamp", false));
        String source = query.oneOf("source", Set.of("user", "system"), false);
        List<String> sorting = query.sorting(Set.of("timestamp"), List.of("-timestamp"));
        query.refuse(Set.of("filter", "meter_id", "query", "metadata", "parent_id"));
        query.done();
        if ("system".equals(source)) {
            // Marginal stores only user events: nothing to list, but still a valid, empty page.
            return ListResource.of(List.of(), 0, page);
        }
        EventQueries.Listing listing = queries.list(grant.organizationId(), filter,
                sorting.get(0).startsWith("-"), page);
        return ListResource.of(listing.items(), listing.total(), page);
    }

    /** Another organisation's event is a 404, exactly like one that does not exist. */
    @GetMapping("/v1/events/{id}")
    EventView get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                  @PathVariable("id") String id) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .requireAny(Scope.EVENTS_READ, Scope.EVENTS_WRITE);
        return queries.find(grant.organizationId(), PathIds.uuid("id", id))
                .orElseThrow(() -> ApiException.notFound("Event not found."));
    }
}
