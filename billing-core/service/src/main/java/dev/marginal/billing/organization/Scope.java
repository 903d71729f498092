package dev.marginal.billing.organization;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What an organisation access token may do; names follow Polar's {@code resource:action} scopes. */
public enum Scope {
    EVENTS_READ("events:read"),
    EVENTS_WRITE("events:write"),
    CUSTOMERS_READ("customers:read"),
    CUSTOMERS_WRITE("customers:write"),
    METERS_READ("meters:read"),
    METERS_WRITE("meters:write"),
    PRODUCTS_READ("products:read"),
    PRODUCTS_WRITE("products:write"),
    SUBSCRIPTIONS_READ("subscriptions:read"),
    SUBSCRIPTIONS_WRITE("subscriptions:write"),
    ORDERS_READ("orders:read"),
    REFUNDS_READ("refunds:read"),
    REFUNDS_WRITE("refunds:write"),
    DISCOUNTS_READ("discounts:read"),
    DISCOUNTS_WRITE("discounts:write"),
    DISPUTES_READ("disputes:read"),
    DISPUTES_WRITE("disputes:write"),
    /** Marginal's (Polar's API has no payouts for organisation tokens): the balance and payouts. */
    PAYOUTS_READ("payouts:read"),
    PAYOUTS_WRITE("payouts:write"),
    /** Polar's scopes for managing the organisation's own access tokens. */
    ORGANIZATION_ACCESS_TOKENS_READ("organization_access_tokens:read"),
    ORGANIZATION_ACCESS_TOKENS_WRITE("organization_access_tokens:write"),
    /** Marginal's: reading the audit log (Polar has no audit API; Stripe keeps it to administrators). */
    ADMIN("admin");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Set<Scope> all() {
        return EnumSet.allOf(Scope.class);
    }

    /** Scopes granted by a newer release are ignored by an older one, not fatal. */
    public static Optional<Scope> parse(String value) {
        for (Scope scope : values()) {
            if (scope.value.equals(value)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
