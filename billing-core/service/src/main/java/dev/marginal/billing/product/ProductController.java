package dev.marginal.billing.product;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
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
import dev.marginal.billing.meter.Meter;
import dev.marginal.billing.meter.MeterRepository;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.Violations;
import jakarta.servlet.http.HttpServletRequest;

/** Polar's {@code /v1/products/} routes. */
@RestController
public class ProductController {

    private static final int MAX_BODY_BYTES = 256 * 1024;
    private static final Map<String, String> SORTS = Map.of("created_at", "created_at", "name", "name");
    private static final Set<String> VISIBILITIES = Set.of("draft", "private", "public");

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final ProductRepository repository;
    private final MeterRepository meters;

    private final AuditLog audit;

    public ProductController(Organizations organizations, JsonBody jsonBody, ProductRepository repository,
                             MeterRepository meters, AuditLog audit) {
        this.audit = audit;
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.repository = repository;
        this.meters = meters;
    }

    private OrganizationGrant reader(String authorization) {
        return organizations.authenticate(authorization).requireAny(Scope.PRODUCTS_READ, Scope.PRODUCTS_WRITE);
    }

    @GetMapping({"/v1/products/", "/v1/products"})
    ListResource<Product> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                               HttpServletRequest request) {
        OrganizationGrant grant = reader(authorization);
        Query query = new Query(request);
        PageRequest page = query.page();
        List<UUID> ids = query.uuids("id");
        String search = query.string("query");
        Boolean archived = query.bool("is_archived");
        Boolean recurring = query.bool("is_recurring");
        String visibility = query.oneOf("visibility", VISIBILITIES, false);
        List<String> sorting = query.sorting(SORTS.keySet(), List.of("-created_at"));
        query.refuse(Set.of("metadata", "benefit_id"));
        query.done();
        String orderBy = String.join(", ", sorting.stream().map(s -> s.startsWith("-")
                ? SORTS.get(s.substring(1)) + " DESC" : SORTS.get(s) + " ASC").toList());
        ProductRepository.Listing listing = repository.list(grant.organizationId(), ids, search, archived, recurring,
                visibility, orderBy, page);
        return ListResource.of(listing.items(), listing.total(), page);
    }

    @PostMapping({"/v1/products/", "/v1/products"})
    @Transactional
    ResponseEntity<Product> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                   HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.PRODUCTS_WRITE);
        ProductDraft draft = ProductRules.create(jsonBody.read(request, MAX_BODY_BYTES));
        checkPrices(grant.organizationId(), draft.prices(), List.of());
        Product created = repository.insert(grant.organizationId(), draft);
        audit.record(grant.organizationId(), "product.created", "product", created.id(), null, created);
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @GetMapping("/v1/products/{id}")
    Product get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                @PathVariable("id") String id) {
        OrganizationGrant grant = reader(authorization);
        return repository.find(grant.organizationId(), PathIds.uuid("id", id)).orElseThrow(ProductController::notFound);
    }

    @PatchMapping("/v1/products/{id}")
    @Transactional
    Product update(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                   @PathVariable("id") String id, HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.PRODUCTS_WRITE);
        UUID productId = PathIds.uuid("id", id);
        Product product = repository.find(grant.organizationId(), productId).orElseThrow(ProductController::notFound);
        ProductDraft draft = ProductRules.update(jsonBody.read(request, MAX_BODY_BYTES), product.recurrence());
        if (draft.prices() != null) {
            checkPrices(grant.organizationId(), draft.prices(), product.prices());
        }
        Product updated = repository.update(grant.organizationId(), productId, draft)
                .orElseThrow(ProductController::notFound);
        audit.record(grant.organizationId(), "product.updated", "product", productId, product, updated);
        return updated;
    }

    /**
     * The rules that need the database: a metered price's meter is the organisation's and live; a
     * kept price is one of the product's live prices; and the resulting prices have at most one
     * static (fixed or free) price per currency, as Polar requires, so a subscription's amount is defined.
     */
    private void checkPrices(UUID organizationId, List<ProductDraft.PriceChange> changes, List<ProductPrice> live) {
        Violations violations = new Violations();
        Set<String> staticCurrencies = new HashSet<>();
        List<Object> duplicateAt = null;
        for (ProductDraft.PriceChange change : changes) {
            String type;
            String currency;
            if (change.keep() != null) {
                ProductPrice kept = live.stream().filter(p -> p.id().equals(change.keep())).findFirst().orElse(null);
                if (kept == null) {
                    violations.add(Body.loc("prices", change.index(), "id"),
                            "Not a live price of this product", "value_error");
                    continue;
                }
                type = kept.amountType();
                currency = kept.currency();
            } else {
                PriceDraft draft = change.create();
                type = draft.amountType();
                currency = draft.price().currency().getCurrencyCode().toLowerCase(java.util.Locale.ROOT);
                if (draft.meterId() != null) {
                    Meter meter = meters.find(organizationId, draft.meterId()).orElse(null);
                    if (meter == null || meter.archivedAt() != null) {
                        violations.add(Body.loc("prices", change.index(), "meter_id"),
                                meter == null ? "Meter not found" : "Meter is archived", "value_error");
                    }
                }
            }
            if ((type.equals("fixed") || type.equals("free")) && !staticCurrencies.add(currency)) {
                duplicateAt = Body.loc("prices", change.index());
            }
        }
        if (duplicateAt != null) {
            violations.add(new ArrayList<>(duplicateAt), "Only one fixed or free price per currency", "value_error");
        }
        violations.throwIfAny();
    }

    static ApiException notFound() {
        return ApiException.notFound("Product not found.");
    }
}
