package dev.marginal.billing.subscription;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.marginal.billing.customer.Customer;
import dev.marginal.billing.product.Product;
import dev.marginal.billing.product.ProductPrice;
import tools.jackson.databind.JsonNode;

/**
 * Polar's {@code Subscription}, field for field. Pausing, discounts, checkouts, seats, custom
 * fields, cancellation reasons and pending updates are not managed yet and have Polar's empty values;
 * the meter period is the billing period.
 */
public record Subscription(OffsetDateTime createdAt, OffsetDateTime modifiedAt, UUID id, long amount, String currency,
                           String recurringInterval, int recurringIntervalCount, String status,
                           OffsetDateTime currentPeriodStart, OffsetDateTime currentPeriodEnd,
                           OffsetDateTime currentMeterPeriodStart, OffsetDateTime currentMeterPeriodEnd,
                           OffsetDateTime trialStart, OffsetDateTime trialEnd, boolean cancelAtPeriodEnd,
                           OffsetDateTime canceledAt, OffsetDateTime startedAt, OffsetDateTime endsAt,
                           OffsetDateTime endedAt, OffsetDateTime pastDueAt, boolean pauseAtPeriodEnd,
                           OffsetDateTime pausedAt, OffsetDateTime resumesAt, UUID customerId, UUID productId,
                           UUID discountId, UUID checkoutId, Integer seats, String customerCancellationReason,
                           String customerCancellationComment, JsonNode metadata, Map<String, Object> customFieldData,
                           Customer customer, Product product, Object discount, List<ProductPrice> prices,
                           List<Object> meters, Object pendingUpdate) {
}
