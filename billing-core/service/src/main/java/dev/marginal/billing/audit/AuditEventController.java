package dev.marginal.billing.audit;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.http.Query;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code GET /v1/audit-events/}: the organisation's audit log, newest first, for {@code admin}
 * tokens only. Cursor pagination, as Stripe's lists and Polar's event list: {@code starting_after}
 * (the last id of the previous page) and {@code limit}; the log only grows, so a cursor never skips
 * or repeats a row the way an offset would while rows are being added.
 */
@RestController
class AuditEventController {

    private final Organizations organizations;
    private final AuditLog log;

    AuditEventController(Organizations organizations, AuditLog log) {
        this.organizations = organizations;
        this.log = log;
    }

    record Page(List<AuditLog.AuditEvent> items, Map<String, Object> pagination) {
    }

    @GetMapping({"/v1/audit-events/", "/v1/audit-events"})
    Page list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
              HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.ADMIN);
        Query query = new Query(request);
        int limit = query.integer("limit", 1, PageRequest.MAX_LIMIT, 10);
        List<UUID> after = query.uuids("starting_after");
        List<String> actions = query.strings("action");
        String subjectType = query.string("subject_type");
        String subjectId = query.string("subject_id");
        query.done();
        List<AuditLog.AuditEvent> rows = log.page(grant.organizationId(), after.isEmpty() ? null : after.get(0),
                actions, subjectType, subjectId, limit + 1);
        boolean more = rows.size() > limit;
        List<AuditLog.AuditEvent> items = more ? rows.subList(0, limit) : rows;
        Map<String, Object> pagination = new java.util.LinkedHashMap<>();
        pagination.put("has_next_page", more);
        pagination.put("next_cursor", more ? items.get(items.size() - 1).id() : null);
        return new Page(List.copyOf(items), pagination);
    }
}
