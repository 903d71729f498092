package dev.marginal.billing.subscription;

import java.time.Instant;
import java.util.UUID;

import dev.marginal.pricing.price.Recurrence;

/**
 * The columns the state machine, the renewal, the payment retries and plan changes read and write.
 *
 * @param usagePeriodStart where the current prices' usage is metered from; null: the period's start
 * @param pendingProductId a {@code next_period} plan change waiting for the period's end; null when none
 */
record SubscriptionRow(UUID id, UUID organizationId, SubscriptionStatus status, Recurrence recurrence,
                       Instant billingAnchor, long periodIndex, Instant currentPeriodStart, Instant currentPeriodEnd,
                       Instant trialEnd, boolean cancelAtPeriodEnd, Dunning dunning, UUID customerId, UUID productId,
                       String currency, Instant usagePeriodStart, UUID pendingProductId) {

    /** Where usage of the current prices is metered from in the current period. */
    Instant usageStart() {
        return usagePeriodStart == null || usagePeriodStart.isBefore(currentPeriodStart) ? currentPeriodStart
                : usagePeriodStart;
    }
}
