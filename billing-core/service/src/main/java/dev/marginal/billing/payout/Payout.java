package dev.marginal.billing.payout;

import java.time.OffsetDateTime;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * Stripe's {@code Payout}, in Marginal's JSON conventions (snake_case, ISO-8601 times). The
 * sandbox's payouts never fail: {@code in_transit} until {@code arrival_date}, then {@code paid}.
 */
public record Payout(UUID id, String object, OffsetDateTime createdAt, long amount, String currency, String status,
                     OffsetDateTime arrivalDate, String description, JsonNode metadata, UUID organizationId) {
}
