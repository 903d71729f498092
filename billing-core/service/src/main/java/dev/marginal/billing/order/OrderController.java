package dev.marginal.billing.order;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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

/** Polar's {@code /v1/orders/} routes (read-only: orders are made by subscriptions and their renewals). */
@RestController
public class OrderController {

    private static final Map<String, String> SORTS = Map.of("created_at", "o.created_at", "status", "o.status",
            "amount", "o.total_amount", "net_amount", "o.net_amount");

    /** Polar's order statuses (Marginal reaches pending, paid, partially_refunded and refunded). */
    private static final Set<String> STATUSES = Set.of("draft", "pending", "paid", "refunded", "partially_refunded",
            "void");

    private final Organizations organizations;
    private final OrderRepository repository;

    public OrderController(Organizations organizations, OrderRepository repository) {
        this.organizations = organizations;
        this.repository = repository;
    }

    private OrganizationGrant reader(String authorization) {
        return organizations.authenticate(authorization).require(Scope.ORDERS_READ);
    }

    @GetMapping({"/v1/orders/", "/v1/orders"})
    ListResource<Order> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                             HttpServletRequest request) {
        OrganizationGrant grant = reader(authorization);
        Query query = new Query(request);
        PageRequest page = query.page();
        List<UUID> customerIds = query.uuids("customer_id");
        List<String> externalIds = query.strings("external_customer_id");
        List<UUID> productIds = query.uuids("product_id");
        List<UUID> subscriptionIds = query.uuids("subscription_id");
        List<String> statuses = query.strings("status");
        statuses.stream().filter(s -> !STATUSES.contains(s)).findFirst().ifPresent(s -> query.violations()
                .add(List.of("query", "status"), "Input should be one of " + new java.util.TreeSet<>(STATUSES), "enum"));
        List<String> sorting = query.sorting(SORTS.keySet(), List.of("-created_at"));
        query.refuse(Set.of("product_billing_type", "discount_id", "checkout_id", "metadata", "created_after",
                "created_before"));
        query.done();
        String orderBy = String.join(", ", sorting.stream().map(s -> s.startsWith("-")
                ? SORTS.get(s.substring(1)) + " DESC" : SORTS.get(s) + " ASC").toList());
        OrderRepository.Listing listing = repository.list(grant.organizationId(), customerIds, externalIds,
                productIds, subscriptionIds, statuses, orderBy, page);
        return ListResource.of(listing.items(), listing.total(), page);
    }

    @GetMapping("/v1/orders/{id}")
    Order get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
              @PathVariable("id") String id) {
        OrganizationGrant grant = reader(authorization);
        return repository.find(grant.organizationId(), PathIds.uuid("id", id))
                .orElseThrow(() -> ApiException.notFound("Order not found."));
    }
}
