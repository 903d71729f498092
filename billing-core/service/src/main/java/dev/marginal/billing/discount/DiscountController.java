package dev.marginal.billing.discount;

import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.http.Body;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.ListResource;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.http.PathIds;
import dev.marginal.billing.http.Query;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.Violations;
import dev.marginal.billing.product.ProductRepository;
import jakarta.servlet.http.HttpServletRequest;

/** Polar's {@code /v1/discounts/} routes: create, list, get, delete. */
@RestController
public class DiscountController {

    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Map<String, String> SORTS = Map.of("created_at", "d.created_at", "name", "d.name",
            "code", "d.code", "redemptions_count", "d.redemptions_count", "ends_at", "d.ends_at");

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final DiscountRepository repository;
    private final ProductRepository products;

    private final AuditLog audit;

    public DiscountController(Organizations organizations, JsonBody jsonBody, DiscountRepository repository,
                              ProductRepository products, AuditLog audit) {
        this.audit = audit;
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.repository = repository;
        this.products = products;
    }

    @PostMapping({"/v1/discounts/", "/v1/discounts"})
    @Transactional
    public ResponseEntity<StoredDiscount> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                                 String authorization, HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.DISCOUNTS_WRITE);
        UUID org = grant.organizationId();
        DiscountDraft draft = DiscountRules.create(jsonBody.read(request, MAX_BODY_BYTES));
        Violations violations = new Violations();
        for (int i = 0; i < draft.productIds().size(); i++) {
            if (products.find(org, draft.productIds().get(i)).isEmpty()) {
                violations.add(Body.loc("products", i), "Product does not exist.", "value_error");
            }
        }
        violations.throwIfAny();
        UUID id = repository.insert(org, draft);
        StoredDiscount created = repository.find(org, id).orElseThrow();
        audit.record(org, "discount.created", "discount", id, null, created);
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @GetMapping({"/v1/discounts/", "/v1/discounts"})
    public ListResource<StoredDiscount> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                             String authorization, HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .requireAny(Scope.DISCOUNTS_READ, Scope.DISCOUNTS_WRITE);
        Query query = new Query(request);
        PageRequest page = query.page();
        var sorting = query.sorting(SORTS.keySet(), java.util.List.of("-created_at"));
        query.refuse(java.util.Set.of("query"));
        query.done();
        String orderBy = String.join(", ", sorting.stream().map(s -> s.startsWith("-")
                ? SORTS.get(s.substring(1)) + " DESC" : SORTS.get(s) + " ASC").toList());
        DiscountRepository.Listing listing = repository.list(grant.organizationId(), orderBy, page);
        return ListResource.of(listing.items(), listing.total(), page);
    }

    @GetMapping("/v1/discounts/{id}")
    public StoredDiscount get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                              @PathVariable("id") String id) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .requireAny(Scope.DISCOUNTS_READ, Scope.DISCOUNTS_WRITE);
        return repository.find(grant.organizationId(), PathIds.uuid("id", id)).orElseThrow(DiscountController::notFound);
    }

    /** Polar: a deleted discount is no longer redeemable; subscriptions that redeemed it keep it. */
    @DeleteMapping("/v1/discounts/{id}")
    @Transactional
    public ResponseEntity<Void> delete(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                       String authorization, @PathVariable("id") String id) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.DISCOUNTS_WRITE);
        StoredDiscount before = repository.find(grant.organizationId(), PathIds.uuid("id", id))
                .orElseThrow(DiscountController::notFound);
        if (!repository.softDelete(grant.organizationId(), before.id())) {
            throw notFound();
        }
        audit.record(grant.organizationId(), "discount.deleted", "discount", before.id(), before, null);
        return ResponseEntity.noContent().build();
    }

    static ApiException notFound() {
        return ApiException.notFound("Discount not found.");
    }
}
