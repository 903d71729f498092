package dev.marginal.billing.subscription;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
import dev.marginal.billing.customer.Customer;
import dev.marginal.billing.customer.CustomerRepository;
import dev.marginal.billing.http.Body;
import dev.marginal.billing.idempotency.IdempotencyKeys;
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
import dev.marginal.billing.product.Product;
import dev.marginal.billing.product.ProductRepository;
import dev.marginal.pricing.proration.ProrationBehavior;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Polar's {@code /v1/subscriptions/} routes. */
@RestController
public class SubscriptionController {

    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Map<String, String> SORTS = Map.of("started_at", "s.started_at",
            "current_period_end", "s.current_period_end", "amount", "s.amount", "status", "s.status");
    private static final Set<String> STATUSES = EnumSet.allOf(SubscriptionStatus.class).stream()
            .map(SubscriptionStatus::wireName).collect(Collectors.toSet());
    /** Polar's other {@code SubscriptionUpdate} variants: refused until Marginal implements them. */
    private static final List<String> UNSUPPORTED_UPDATES = List.of("seats",
            "discount_id", "trial_end", "current_billing_period_end", "pause", "resume", "pause_at_period_end",
            "customer_cancellation_reason", "customer_cancellation_comment");

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final SubscriptionRepository repository;
    private final Subscriptions subscriptions;
    private final CustomerRepository customers;
    private final ProductRepository products;
    private final IdempotencyKeys idempotencyKeys;
    private final PlanChanges planChanges;
    private final AuditLog audit;

    public SubscriptionController(Organizations organizations, JsonBody jsonBody, SubscriptionRepository repository,
                                  Subscriptions subscriptions, CustomerRepository customers,
                                  ProductRepository products, IdempotencyKeys idempotencyKeys,
                                  PlanChanges planChanges, AuditLog audit) {
        this.planChanges = planChanges;
        this.audit = audit;
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.repository = repository;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.products = products;
        this.idempotencyKeys = idempotencyKeys;
    }

    private OrganizationGrant reader(String authorization) {
        return organizations.authenticate(authorization)
                .requireAny(Scope.SUBSCRIPTIONS_READ, Scope.SUBSCRIPTIONS_WRITE);
    }

    private OrganizationGrant writer(String authorization) {
        return organizations.authenticate(authorization).require(Scope.SUBSCRIPTIONS_WRITE);
    }

    @GetMapping({"/v1/subscriptions/", "/v1/subscriptions"})
    ListResource<Subscription> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                    String authorization, HttpServletRequest request) {
        OrganizationGrant grant = reader(authorization);
        Query query = new Query(request);
        PageRequest page = query.page();
        List<UUID> customerIds = query.uuids("customer_id");
        List<String> externalIds = query.strings("external_customer_id");
        List<UUID> productIds = query.uuids("product_id");
        Boolean active = query.bool("active");
        List<String> statuses = query.strings("status");
        statuses.stream().filter(s -> !STATUSES.contains(s)).findFirst().ifPresent(s -> query.violations()
                .add(List.of("query", "status"), "Input should be one of " + new java.util.TreeSet<>(STATUSES), "enum"));
        List<String> sorting = query.sorting(SORTS.keySet(), List.of("-started_at"));
        query.refuse(Set.of("metadata", "discount_id", "cancel_at_period_end", "customer_cancellation_reason",
                "canceled_at_after", "canceled_at_before", "started_after", "started_before"));
        query.done();
        String orderBy = String.join(", ", sorting.stream().map(s -> s.startsWith("-")
                ? SORTS.get(s.substring(1)) + " DESC" : SORTS.get(s) + " ASC").toList());
        SubscriptionRepository.Listing listing = repository.list(grant.organizationId(), customerIds, externalIds,
                productIds, active, statuses, orderBy, page);
        return ListResource.of(listing.items(), listing.total(), page);
    }

    /**
     * Polar's {@code SubscriptionCreateCustomer} / {@code SubscriptionCreateExternalCustomer}, plus
     * Marginal's optional {@code currency} for products priced in several currencies and
     * {@code discount_id} (Polar applies discounts at checkout, which Marginal does not have). A customer or
     * product that is not the organisation's is a 422 at its field, as Polar answers.
     */
    @PostMapping({"/v1/subscriptions/", "/v1/subscriptions"})
    @Transactional
    ResponseEntity<?> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                             @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
                             HttpServletRequest request) {
        OrganizationGrant grant = writer(authorization);
        UUID org = grant.organizationId();
        JsonNode json = jsonBody.read(request, MAX_BODY_BYTES);
        return idempotencyKeys.once(org, idempotencyKey, "POST /v1/subscriptions/", json, () -> {
            Body body = Body.of(json, new Violations());
            Customer customer = customer(body, org);
            UUID productId = uuid(body, "product_id", true);
            String currency = body.text("currency", false, 3);
            UUID discountId = uuid(body, "discount_id", false);
            ObjectNode metadata = body.metadata();
            Product product = productId == null ? null : products.find(org, productId).orElse(null);
            if (productId != null && product == null) {
                body.violations().add(Body.loc("product_id"), "Product does not exist.", "value_error");
            }
            body.violations().throwIfAny();
            UUID id = subscriptions.create(org, new Subscriptions.Create(customer, product, currency, discountId,
                    metadata));
            Subscription created = repository.find(org, id).orElseThrow();
            audit.record(org, "subscription.created", "subscription", id, null, created);
            return ResponseEntity.status(HttpStatus.CREATED).body(created);
        });
    }

    private Customer customer(Body body, UUID org) {
        boolean byId = body.has("customer_id");
        boolean byExternal = body.has("external_customer_id");
        if (byId == byExternal) {
            body.violations().add(Body.loc(byId ? "external_customer_id" : "customer_id"),
                    "Exactly one of customer_id and external_customer_id is required", byId ? "value_error" : "missing");
            return null;
        }
        if (byId) {
            UUID id = uuid(body, "customer_id", true);
            Customer customer = id == null ? null : customers.findById(org, id).orElse(null);
            if (id != null && customer == null) {
                body.violations().add(Body.loc("customer_id"), "Customer does not exist.", "value_error");
            }
            return customer;
        }
        String external = body.text("external_customer_id", true, 400);
        Customer customer = external == null ? null : customers.findByExternalId(org, external).orElse(null);
        if (external != null && customer == null) {
            body.violations().add(Body.loc("external_customer_id"), "Customer does not exist.", "value_error");
        }
        return customer;
    }

    private static UUID uuid(Body body, String field, boolean required) {
        String text = body.text(field, required, 36);
        if (text == null) {
            return null;
        }
        if (!UUID_TEXT.matcher(text).matches()) {
            body.violations().add(Body.loc(field), "Input should be a valid UUID", "uuid_parsing");
            return null;
        }
        return UUID.fromString(text);
    }

    @GetMapping("/v1/subscriptions/{id}")
    Subscription get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                     @PathVariable("id") String id) {
        OrganizationGrant grant = reader(authorization);
        return repository.find(grant.organizationId(), PathIds.uuid("id", id))
                .orElseThrow(SubscriptionController::notFound);
    }

    /**
     * Polar's {@code SubscriptionUpdateProduct} ({@code product_id}, {@code proration_behavior}: a
     * plan change, {@link PlanChanges}), {@code SubscriptionCancel} ({@code cancel_at_period_end}) and
     * {@code SubscriptionRevoke} ({@code revoke: true}).
     */
    @PatchMapping("/v1/subscriptions/{id}")
    @Transactional
    ResponseEntity<?> update(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                             @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
                             @PathVariable("id") String id, HttpServletRequest request) {
        OrganizationGrant grant = writer(authorization);
        UUID subscriptionId = PathIds.uuid("id", id);
        JsonNode json = jsonBody.read(request, MAX_BODY_BYTES);
        // A plan change invoiced now moves money, so a retried PATCH must not bill twice. The route
        // names the subscription: one key reused for another subscription is another request (409).
        return idempotencyKeys.once(grant.organizationId(), idempotencyKey, "PATCH /v1/subscriptions/" + subscriptionId,
                json, () -> ResponseEntity.ok(update(grant, subscriptionId, json)));
    }

    private Subscription update(OrganizationGrant grant, UUID subscriptionId, JsonNode json) {
        Body body = Body.of(json, new Violations());
        for (String field : UNSUPPORTED_UPDATES) {
            if (body.sent(field)) {
                body.violations().add(Body.loc(field), field + " is not supported yet", "value_error");
            }
        }
        Boolean cancel = body.bool("cancel_at_period_end");
        Boolean revoke = body.bool("revoke");
        UUID productId = uuid(body, "product_id", false);
        ProrationBehavior behavior = prorationBehavior(body);
        int updates = (cancel == null ? 0 : 1) + (revoke == null ? 0 : 1) + (body.has("product_id") ? 1 : 0);
        if (body.violations().isEmpty() && updates != 1) {
            body.violations().add(Body.loc(updates == 0 ? "product_id" : "cancel_at_period_end"),
                    "Send one of product_id, cancel_at_period_end or revoke", updates == 0 ? "missing" : "value_error");
        }
        if (body.has("proration_behavior") && !body.has("product_id")) {
            body.violations().add(Body.loc("proration_behavior"), "proration_behavior goes with product_id",
                    "value_error");
        }
        if (Boolean.FALSE.equals(revoke)) {
            body.violations().add(Body.loc("revoke"), "Input should be True", "literal_error");
        }
        Product product = null;
        if (productId != null && body.violations().isEmpty()) {
            product = products.find(grant.organizationId(), productId).orElse(null);
            if (product == null) {
                body.violations().add(Body.loc("product_id"), "Product does not exist.", "value_error");
            }
        }
        body.violations().throwIfAny();
        Subscription before = repository.find(grant.organizationId(), subscriptionId)
                .orElseThrow(SubscriptionController::notFound);
        String action;
        if (product != null) {
            action = "subscription.product_changed";
            planChanges.change(grant.organizationId(), subscriptionId, product, behavior);
        } else if (cancel != null) {
            action = cancel ? "subscription.cancel_scheduled" : "subscription.cancel_unscheduled";
            subscriptions.cancelAtPeriodEnd(grant.organizationId(), subscriptionId, cancel);
        } else {
            action = "subscription.revoked";
            subscriptions.revoke(grant.organizationId(), subscriptionId);
        }
        Subscription after = repository.find(grant.organizationId(), subscriptionId)
                .orElseThrow(SubscriptionController::notFound);
        audit.record(grant.organizationId(), action, "subscription", subscriptionId, before, after);
        return after;
    }

    /**
     * Polar's {@code proration_behavior} ({@code invoice}, {@code prorate}, {@code next_period});
     * absent, the organisation's default, which is Polar's: {@code prorate}. Polar's {@code reset}
     * is refused as not supported yet.
     */
    private static ProrationBehavior prorationBehavior(Body body) {
        String text = body.text("proration_behavior", false, 20);
        if (text == null) {
            return ProrationBehavior.PRORATE;
        }
        return switch (text) {
            case "invoice" -> ProrationBehavior.INVOICE_NOW;
            case "prorate" -> ProrationBehavior.PRORATE;
            case "next_period" -> ProrationBehavior.NEXT_PERIOD;
            default -> {
                body.violations().add(Body.loc("proration_behavior"), text.equals("reset")
                        ? "reset is not supported yet" : "Input should be 'invoice', 'prorate' or 'next_period'",
                        text.equals("reset") ? "value_error" : "enum");
                yield null;
            }
        };
    }

    /** Polar: "Revoke a subscription, i.e cancel immediately." */
    @DeleteMapping("/v1/subscriptions/{id}")
    @Transactional
    Subscription revoke(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                        @PathVariable("id") String id) {
        OrganizationGrant grant = writer(authorization);
        UUID subscriptionId = PathIds.uuid("id", id);
        Subscription before = repository.find(grant.organizationId(), subscriptionId)
                .orElseThrow(SubscriptionController::notFound);
        subscriptions.revoke(grant.organizationId(), subscriptionId);
        Subscription after = repository.find(grant.organizationId(), subscriptionId)
                .orElseThrow(SubscriptionController::notFound);
        audit.record(grant.organizationId(), "subscription.revoked", "subscription", subscriptionId, before, after);
        return after;
    }

    static ApiException notFound() {
        return ApiException.notFound("Subscription not found.");
    }
}
