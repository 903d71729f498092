package dev.marginal.billing.subscription;

import java.time.Instant;
import java.util.UUID;

import dev.marginal.pricing.price.Recurrence;

/** The columns the state machine, the renewal and the payment retries read and write. */
record SubscriptionRow(UUID id, UUID organizationId, SubscriptionStatus status, Recurrence recurrence,
                       Instant billingAnchor, long periodIndex, Instant currentPeriodStart, Instant currentPeriodEnd,
                       Instant trialEnd, boolean cancelAtPeriodEnd, Dunning dunning) {
}
