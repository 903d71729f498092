package dev.marginal.billing.refund;

import java.time.OffsetDateTime;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * Polar's {@code Refund} (API 2026-10), field for field. {@code amount} is the net part returned,
 * {@code tax_amount} the tax returned with it; the customer gets both. {@code dispute} is set only
 * for refunds Polar issues to prevent a dispute, which Marginal does not do.
 */
public record Refund(OffsetDateTime createdAt, OffsetDateTime modifiedAt, UUID id, JsonNode metadata, String status,
                     String reason, long amount, long taxAmount, String currency, UUID organizationId, UUID orderId,
                     UUID subscriptionId, UUID customerId, boolean revokeBenefits, Object dispute) {
}
