package dev.marginal.billing.discount;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.marginal.pricing.invoice.DiscountDuration;
import tools.jackson.databind.node.ObjectNode;

/** A validated {@code DiscountCreate}. */
record DiscountDraft(String name, String code, String type, Integer basisPoints, Map<String, Long> amounts,
                     DiscountDuration duration, Integer durationInMonths, OffsetDateTime startsAt,
                     OffsetDateTime endsAt, Integer maxRedemptions, ObjectNode metadata, List<UUID> productIds) {
}
