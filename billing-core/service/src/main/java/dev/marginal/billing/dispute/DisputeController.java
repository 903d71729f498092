package dev.marginal.billing.dispute;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.ListResource;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.http.PathIds;
import dev.marginal.billing.http.Query;
import dev.marginal.billing.idempotency.IdempotencyKeys;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import dev.marginal.billing.problem.ApiException;
import jakarta.servlet.http.HttpServletRequest;

/** Polar's {@code /v1/disputes/} routes: list, get, accept. Disputes are opened by the processor, never posted. */
@RestController
public class DisputeController {

    private static final Map<String, String> SORTS = Map.of("created_at", "d.created_at", "amount", "d.amount");
    private static final Set<String> STATUSES = EnumSet.allOf(DisputeStatus.class).stream()
            .map(DisputeStatus::wireName).collect(Collectors.toSet());

    private final Organizations organizations;
    private final DisputeRepository repository;
    private final Disputes disputes;
    private final IdempotencyKeys idempotencyKeys;
    private final JsonBody jsonBody;
    private final BillingClock clock;
    private final AuditLog audit;

    public DisputeController(Organizations organizations, DisputeRepository repository, Disputes disputes,
                             IdempotencyKeys idempotencyKeys, JsonBody jsonBody, BillingClock clock, AuditLog audit) {
        this.organizations = organizations;
        this.repository = repository;
        this.disputes = disputes;
        this.idempotencyKeys = idempotencyKeys;
        this.jsonBody = jsonBody;
        this.clock = clock;
        this.audit = audit;
    }

    private OrganizationGrant reader(String authorization) {
        return organizations.authenticate(authorization).requireAny(Scope.DISPUTES_READ, Scope.DISPUTES_WRITE);
    }

    @GetMapping({"/v1/disputes/", "/v1/disputes"})
    ListResource<Dispute> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                               HttpServletRequest request) {
        OrganizationGrant grant = reader(authorization);
        Query query = new Query(request);
        PageRequest page = query.page();
        List<UUID> orderIds = query.uuids("order_id");
        List<String> statuses = query.strings("status");
        statuses.stream().filter(s -> !STATUSES.contains(s)).findFirst().ifPresent(s -> query.violations()
                .add(List.of("query", "status"), "Input should be one of " + new TreeSet<>(STATUSES), "enum"));
        List<String> sorting = query.sorting(SORTS.keySet(), List.of("-created_at"));
        query.done();
        String orderBy = String.join(", ", sorting.stream().map(s -> s.startsWith("-")
                ? SORTS.get(s.substring(1)) + " DESC" : SORTS.get(s) + " ASC").toList());
        DisputeRepository.Listing listing = repository.list(grant.organizationId(), orderIds, statuses, orderBy, page,
                clock.now(grant.organizationId()));
        return ListResource.of(listing.items(), listing.total(), page);
    }

    @GetMapping("/v1/disputes/{id}")
    Dispute get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                @PathVariable("id") String id) {
        OrganizationGrant grant = reader(authorization);
        return repository.find(grant.organizationId(), PathIds.uuid("id", id), clock.now(grant.organizationId()))
                .orElseThrow(DisputeController::notFound);
    }

    /** Polar's accept: concede the chargeback. A dispute that is not open is a 409 {@code DisputeNotOpenError}. */
    @Transactional
    @PostMapping("/v1/disputes/{id}/accept")
    ResponseEntity<?> accept(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                             @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
                             @PathVariable("id") String id, HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.DISPUTES_WRITE);
        UUID disputeId = PathIds.uuid("id", id);
        UUID org = grant.organizationId();
        var json = jsonBody.read(request, 1024);
        return idempotencyKeys.once(org, idempotencyKey, "POST /v1/disputes/" + disputeId + "/accept", json, () -> {
            var before = repository.find(org, disputeId, clock.now(org)).orElse(null);
            disputes.accept(org, disputeId);
            var accepted = repository.find(org, disputeId, clock.now(org)).orElseThrow();
            audit.record(org, "dispute.accepted", "dispute", disputeId, before, accepted);
            return ResponseEntity.ok(accepted);
        });
    }

    static ApiException notFound() {
        return ApiException.notFound("Dispute not found.");
    }
}
