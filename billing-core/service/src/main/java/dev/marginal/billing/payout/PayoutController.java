package dev.marginal.billing.payout;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

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
import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.http.Body;
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
import dev.marginal.billing.problem.Violations;
import dev.marginal.pricing.Money;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe's balance and payouts (Polar's API has none for organisation tokens):
 * {@code GET /v1/balance}, {@code POST /v1/payouts} (with {@code Idempotency-Key}),
 * {@code GET /v1/payouts}, {@code GET /v1/payouts/{id}}.
 */
@RestController
public class PayoutController {

    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final Payouts payouts;
    private final PayoutRepository repository;
    private final Balances balances;
    private final IdempotencyKeys idempotencyKeys;
    private final BillingClock clock;
    private final AuditLog audit;

    public PayoutController(Organizations organizations, JsonBody jsonBody, Payouts payouts,
                            PayoutRepository repository, Balances balances, IdempotencyKeys idempotencyKeys,
                            BillingClock clock, AuditLog audit) {
        this.audit = audit;
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.payouts = payouts;
        this.repository = repository;
        this.balances = balances;
        this.idempotencyKeys = idempotencyKeys;
        this.clock = clock;
    }

    private OrganizationGrant reader(String authorization) {
        return organizations.authenticate(authorization).requireAny(Scope.PAYOUTS_READ, Scope.PAYOUTS_WRITE);
    }

    @GetMapping({"/v1/balance", "/v1/balance/"})
    Balance balance(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        UUID org = reader(authorization).organizationId();
        return balances.balance(org, clock.now(org));
    }

    @Transactional
    @PostMapping({"/v1/payouts/", "/v1/payouts"})
    ResponseEntity<?> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                             @RequestHeader(value = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
                             HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.PAYOUTS_WRITE);
        UUID org = grant.organizationId();
        var json = jsonBody.read(request, MAX_BODY_BYTES);
        return idempotencyKeys.once(org, idempotencyKey, "POST /v1/payouts/", json, () -> {
            Payouts.Create create = read(Body.of(json, new Violations()));
            UUID id = payouts.create(org, create);
            var payout = repository.find(org, id, clock.now(org)).orElseThrow();
            audit.record(org, "payout.created", "payout", id, null, payout);
            return ResponseEntity.status(HttpStatus.CREATED).body(payout);
        });
    }

    /** {@code currency} (ISO 4217, lower case) is required; {@code amount} (minor units) defaults to all that is available. */
    private static Payouts.Create read(Body body) {
        String currency = currency(body);
        Long amount = body.whole("amount", false);
        if (amount != null && amount <= 0) {
            body.violations().add(Body.loc("amount"), "Input should be greater than 0", "greater_than");
        }
        String description = body.text("description", false, 1000);
        ObjectNode metadata = body.metadata();
        body.violations().throwIfAny();
        return new Payouts.Create(currency, amount, description, metadata);
    }

    private static String currency(Body body) {
        String currency = body.text("currency", true, 3);
        if (currency == null) {
            return null;
        }
        try {
            Money.currency(currency);
            if (currency.matches("[a-z]{3}")) {
                return currency;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        body.violations().add(Body.loc("currency"), "Input should be a lower-case ISO 4217 currency code",
                "value_error");
        return null;
    }

    @GetMapping({"/v1/payouts/", "/v1/payouts"})
    ListResource<Payout> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                              HttpServletRequest request) {
        OrganizationGrant grant = reader(authorization);
        Query query = new Query(request);
        PageRequest page = query.page();
        List<String> currencies = query.strings("currency").stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        query.done();
        PayoutRepository.Listing listing = repository.list(grant.organizationId(), currencies, page, clock.now(grant.organizationId()));
        return ListResource.of(listing.items(), listing.total(), page);
    }

    @GetMapping("/v1/payouts/{id}")
    Payout get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
               @PathVariable("id") String id) {
        OrganizationGrant grant = reader(authorization);
        return repository.find(grant.organizationId(), PathIds.uuid("id", id), clock.now(grant.organizationId()))
                .orElseThrow(() -> ApiException.notFound("Payout not found."));
    }
}
