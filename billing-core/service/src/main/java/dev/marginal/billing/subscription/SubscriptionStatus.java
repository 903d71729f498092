package dev.marginal.billing.subscription;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;

/**
 * Polar's subscription statuses and the transitions Marginal allows between them. A transition
 * that is not in {@link #ALLOWED} is a 409 problem, never a silent no-op.
 */
public enum SubscriptionStatus {
    INCOMPLETE, INCOMPLETE_EXPIRED, TRIALING, ACTIVE, PAST_DUE, CANCELED, UNPAID, PAUSED;

    private static final Map<SubscriptionStatus, Set<SubscriptionStatus>> ALLOWED = new EnumMap<>(Map.of(
            // the first payment succeeds, a trial starts, the payment window lapses, or it is revoked
            INCOMPLETE, EnumSet.of(ACTIVE, TRIALING, INCOMPLETE_EXPIRED, CANCELED),
            INCOMPLETE_EXPIRED, EnumSet.noneOf(SubscriptionStatus.class),
            // the trial ends paid, ends unpaid, or is canceled
            TRIALING, EnumSet.of(ACTIVE, PAST_DUE, CANCELED),
            // a renewal payment fails, it ends, or it is paused
            ACTIVE, EnumSet.of(PAST_DUE, CANCELED, PAUSED),
            // a retry succeeds, retries are exhausted, or it is canceled
            PAST_DUE, EnumSet.of(ACTIVE, UNPAID, CANCELED),
            UNPAID, EnumSet.of(ACTIVE, CANCELED),
            PAUSED, EnumSet.of(ACTIVE, CANCELED),
            // canceled is final: a revoked subscription is never reactivated (a new one is sold)
            CANCELED, EnumSet.noneOf(SubscriptionStatus.class)));

    /** Where cancelling at period end can be scheduled or unscheduled: the ones still running. */
    private static final Set<SubscriptionStatus> CANCELABLE = EnumSet.of(TRIALING, ACTIVE, PAST_DUE);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SubscriptionStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public Set<SubscriptionStatus> allowedNext() {
        return ALLOWED.get(this);
    }

    public boolean canBecome(SubscriptionStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** {@code next}, or the 409 that says why not. */
    public SubscriptionStatus transitionTo(SubscriptionStatus next) {
        if (!canBecome(next)) {
            throw illegal("A " + wireName() + " subscription cannot become " + next.wireName() + ".");
        }
        return next;
    }

    public boolean isCancelable() {
        return CANCELABLE.contains(this);
    }

    /** Polar's active statuses (the customer has access): trialing and active. */
    public boolean isActive() {
        return this == TRIALING || this == ACTIVE;
    }

    static ApiException illegal(String detail) {
        return new ApiException(ProblemType.ILLEGAL_TRANSITION, detail);
    }
}
