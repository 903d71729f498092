package dev.marginal.billing.refund;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.http.Body;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.ListResource;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.http.Query;
import dev.marginal.billing.idempotency.IdempotencyKeys;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import dev.marginal.billing.problem.Violations;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.node.ObjectNode;

/** Polar's {@code /v1/refunds/} routes: create (with {@code Idempotency-Key}) and list. */
@RestController
public class RefundController {

    private static final int MAX_BODY_BYTES = 64 * 1024;
    /** Polar stores the comment as text; a bound keeps a refund row a refund row. */
    private static final int MAX_COMMENT = 10_000;
    private static final Map<String, String> SORTS = Map.of("created_at", "r.created_at", "amount", "r.amount");

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final Refunds refunds;
    private final RefundRepository repository;
    private final IdempotencyKeys idempotencyKeys;
    private final AuditLog audit;

    public RefundController(Organizations organizations, JsonBody jsonBody, Refunds refunds,
                            RefundRepository repository, IdempotencyKeys idempotencyKeys, AuditLog audit) {
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.refunds = refunds;
        this.repository = repository;
        this.idempotencyKeys = idempotencyKeys;
        this.audit = audit;
    }

    @Transactional
    @PostMapping({"/v1/refunds/", "/v1/refunds"})
    ResponseEntity<?> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                             @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
                             HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.REFUNDS_WRITE);
        UUID org = grant.organizationId();
        var json = jsonBody.read(request, MAX_BODY_BYTES);
        return idempotencyKeys.once(org, idempotencyKey, "POST /v1/refunds/", json, () -> {
            Refunds.Create create = read(Body.of(json, new Violations()));
            UUID id = refunds.create(org, create);
            var refund = repository.find(org, id).orElseThrow();
            audit.record(org, "refund.created", "refund", id, null, refund);
            return ResponseEntity.status(HttpStatus.CREATED).body(refund);
        });
    }

    /** Polar's {@code RefundCreate}: every bad field is reported in one 422. */
    private static Refunds.Create read(Body body) {
        UUID orderId = body.uuid("order_id", true);
        String reasonText = body.text("reason", true, 100);
        RefundReason reason = null;
        if (reasonText != null) {
            reason = RefundReason.fromWire(reasonText).filter(RefundReason::isClientAllowed).orElse(null);
            if (reason == null) {
                body.violations().add(Body.loc("reason"), RefundReason.DISPUTE_PREVENTION.wireName().equals(reasonText)
                        ? "dispute_prevention is reserved for system-generated refunds."
                        : "Input should be " + String.join(", ", Refunds.reasons()), "enum");
            }
        }
        Long amount = body.whole("amount", true);
        if (amount != null && amount <= 0) {
            body.violations().add(Body.loc("amount"), "Input should be greater than 0", "greater_than");
        }
        String comment = body.text("comment", false, MAX_COMMENT);
        Boolean revoke = body.bool("revoke_benefits");
        ObjectNode metadata = body.metadata();
        body.violations().throwIfAny();
        return new Refunds.Create(orderId, reason, amount, comment, Boolean.TRUE.equals(revoke), metadata);
    }

    @GetMapping({"/v1/refunds/", "/v1/refunds"})
    ListResource<Refund> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                              HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .requireAny(Scope.REFUNDS_READ, Scope.REFUNDS_WRITE);
        Query query = new Query(request);
        PageRequest page = query.page();
        List<UUID> ids = query.uuids("id");
        List<UUID> orderIds = query.uuids("order_id");
        List<UUID> subscriptionIds = query.uuids("subscription_id");
        List<UUID> customerIds = query.uuids("customer_id");
        List<String> externalIds = query.strings("external_customer_id");
        Boolean succeeded = query.bool("succeeded");
        List<String> sorting = query.sorting(SORTS.keySet(), List.of("-created_at"));
        query.refuse(Set.of("metadata"));
        query.done();
        String orderBy = String.join(", ", sorting.stream().map(s -> s.startsWith("-")
                ? SORTS.get(s.substring(1)) + " DESC" : SORTS.get(s) + " ASC").toList());
        RefundRepository.Listing listing = repository.list(grant.organizationId(), ids, orderIds, subscriptionIds,
                customerIds, externalIds, succeeded, orderBy, page);
        return ListResource.of(listing.items(), listing.total(), page);
    }
}
