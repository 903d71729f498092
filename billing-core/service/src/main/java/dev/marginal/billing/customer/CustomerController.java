package dev.marginal.billing.customer;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
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
import dev.marginal.billing.problem.Violations;
import jakarta.servlet.http.HttpServletRequest;

/** Polar's {@code /v1/customers/} routes, by id and by external id. */
@RestController
public class CustomerController {

    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Map<String, String> SORTS = Map.of(
            "created_at", "c.created_at", "email", "lower(c.email)", "name", "c.name");

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final CustomerRepository repository;

    private final AuditLog audit;

    public CustomerController(Organizations organizations, JsonBody jsonBody, CustomerRepository repository, AuditLog audit) {
        this.audit = audit;
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.repository = repository;
    }

    private OrganizationGrant reader(String authorization) {
        return organizations.authenticate(authorization).requireAny(Scope.CUSTOMERS_READ, Scope.CUSTOMERS_WRITE);
    }

    private OrganizationGrant writer(String authorization) {
        return organizations.authenticate(authorization).require(Scope.CUSTOMERS_WRITE);
    }

    @GetMapping({"/v1/customers/", "/v1/customers"})
    ListResource<Customer> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                HttpServletRequest request) {
        OrganizationGrant grant = reader(authorization);
        Query query = new Query(request);
        PageRequest page = query.page();
        String email = query.string("email");
        String search = query.string("query");
        List<String> sorting = query.sorting(SORTS.keySet(), List.of("-created_at"));
        query.refuse(java.util.Set.of("metadata", "active"));
        query.done();
        String orderBy = String.join(", ", sorting.stream().map(s -> s.startsWith("-")
                ? SORTS.get(s.substring(1)) + " DESC NULLS LAST" : SORTS.get(s) + " ASC NULLS LAST").toList()) + ", c.id";
        CustomerRepository.Listing listing = repository.list(grant.organizationId(), email, search, orderBy, page);
        return ListResource.of(listing.items(), listing.total(), page);
    }

    @PostMapping({"/v1/customers/", "/v1/customers"})
    @Transactional
    ResponseEntity<Customer> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                    HttpServletRequest request) {
        OrganizationGrant grant = writer(authorization);
        CustomerDraft draft = CustomerRules.create(jsonBody.read(request, MAX_BODY_BYTES));
        Customer created = repository.insert(grant.organizationId(), draft);
        audit.record(grant.organizationId(), "customer.created", "customer", created.id(), null, created);
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @GetMapping("/v1/customers/{id}")
    Customer get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                 @PathVariable("id") String id) {
        OrganizationGrant grant = reader(authorization);
        return repository.findById(grant.organizationId(), PathIds.uuid("id", id)).orElseThrow(CustomerController::notFound);
    }

    @PatchMapping("/v1/customers/{id}")
    @Transactional
    Customer update(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                    @PathVariable("id") String id, HttpServletRequest request) {
        OrganizationGrant grant = writer(authorization);
        UUID customerId = PathIds.uuid("id", id);
        CustomerDraft draft = CustomerRules.update(jsonBody.read(request, MAX_BODY_BYTES), true);
        Customer current = repository.findById(grant.organizationId(), customerId).orElseThrow(CustomerController::notFound);
        return apply(grant, current, draft);
    }

    @DeleteMapping("/v1/customers/{id}")
    @Transactional
    ResponseEntity<Void> delete(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                @PathVariable("id") String id) {
        OrganizationGrant grant = writer(authorization);
        Customer current = repository.findById(grant.organizationId(), PathIds.uuid("id", id))
                .orElseThrow(CustomerController::notFound);
        if (!repository.softDelete(grant.organizationId(), current.id())) {
            throw notFound();
        }
        audit.record(grant.organizationId(), "customer.deleted", "customer", current.id(), current, null);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/v1/customers/external/{externalId}")
    Customer getExternal(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                         @PathVariable("externalId") String externalId) {
        OrganizationGrant grant = reader(authorization);
        return repository.findByExternalId(grant.organizationId(), externalId).orElseThrow(CustomerController::notFound);
    }

    @PatchMapping("/v1/customers/external/{externalId}")
    @Transactional
    Customer updateExternal(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                            @PathVariable("externalId") String externalId, HttpServletRequest request) {
        OrganizationGrant grant = writer(authorization);
        CustomerDraft draft = CustomerRules.update(jsonBody.read(request, MAX_BODY_BYTES), false);
        Customer current = repository.findByExternalId(grant.organizationId(), externalId)
                .orElseThrow(CustomerController::notFound);
        return apply(grant, current, draft);
    }

    @DeleteMapping("/v1/customers/external/{externalId}")
    @Transactional
    ResponseEntity<Void> deleteExternal(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                        @PathVariable("externalId") String externalId) {
        OrganizationGrant grant = writer(authorization);
        Customer current = repository.findByExternalId(grant.organizationId(), externalId)
                .orElseThrow(CustomerController::notFound);
        if (!repository.softDelete(grant.organizationId(), current.id())) {
            throw notFound();
        }
        audit.record(grant.organizationId(), "customer.deleted", "customer", current.id(), current, null);
        return ResponseEntity.noContent().build();
    }

    /** As Polar: an external id, once set, is permanent (events sent under it must keep their customer). */
    private Customer apply(OrganizationGrant grant, Customer current, CustomerDraft draft) {
        if (draft.externalId() != null && current.externalId() != null && !draft.externalId().equals(current.externalId())) {
            Violations violations = new Violations();
            violations.add(CustomerRules.externalIdLoc(), "Customer external ID cannot be updated once set.",
                    "value_error");
            violations.throwIfAny();
        }
        Customer updated = repository.update(grant.organizationId(), current.id(), draft)
                .orElseThrow(CustomerController::notFound);
        audit.record(grant.organizationId(), "customer.updated", "customer", current.id(), current, updated);
        return updated;
    }

    static ApiException notFound() {
        return ApiException.notFound("Customer not found.");
    }

}
