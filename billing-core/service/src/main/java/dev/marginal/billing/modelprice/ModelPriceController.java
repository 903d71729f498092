package dev.marginal.billing.modelprice;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.ListResource;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.http.PathIds;
import dev.marginal.billing.http.Query;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import dev.marginal.billing.problem.ApiException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code /v1/model-prices/}: the LLM price catalog (Polar has none). Read with an events scope,
 * since these prices exist to cost events; an organisation writes only its own prices.
 */
@RestController
public class ModelPriceController {

    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final ModelPriceRepository repository;
    private final ModelPrices prices;

    private final AuditLog audit;

    public ModelPriceController(Organizations organizations, JsonBody jsonBody, ModelPriceRepository repository,
                                ModelPrices prices, AuditLog audit) {
        this.audit = audit;
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.repository = repository;
        this.prices = prices;
    }

    @GetMapping({"/v1/model-prices/", "/v1/model-prices"})
    ListResource<ModelPriceView> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                      HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .requireAny(Scope.EVENTS_READ, Scope.EVENTS_WRITE);
        Query query = new Query(request);
        PageRequest page = query.page();
        String vendor = query.string("vendor");
        String model = query.string("model");
        var activeAt = query.timestamp("active_at", false);
        query.done();
        ModelPriceRepository.Listing listing = repository.list(grant.organizationId(), vendor, model, activeAt, page);
        return ListResource.of(listing.items(), listing.total(), page);
    }

    @PostMapping({"/v1/model-prices/", "/v1/model-prices"})
    @Transactional
    ResponseEntity<ModelPriceView> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                          HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.EVENTS_WRITE);
        ModelPriceView created = prices.create(grant.organizationId(), jsonBody.read(request, MAX_BODY_BYTES));
        audit.record(grant.organizationId(), "model_price.created", "model_price", created.id(), null, created);
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @GetMapping("/v1/model-prices/{id}")
    ModelPriceView get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                       @PathVariable("id") String id) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .requireAny(Scope.EVENTS_READ, Scope.EVENTS_WRITE);
        return repository.find(grant.organizationId(), PathIds.uuid("id", id))
                .orElseThrow(() -> ApiException.notFound("Model price not found."));
    }
}
