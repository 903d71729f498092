package dev.marginal.billing.discount;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.Discount;
import dev.marginal.pricing.invoice.DiscountDuration;
import tools.jackson.databind.JsonNode;

/**
 * A {@code discounts} row. On the wire it is Polar's {@code Discount} union (fixed or percentage,
 * once/forever or repeating); {@link #engine} turns it into the pricing engine's {@link Discount}.
 *
 * @param amounts fixed: minor units per lower-case currency; null for a percentage
 */
public record StoredDiscount(UUID id, UUID organizationId, String name, String code, String type,
                             Integer basisPoints, Map<String, Long> amounts, DiscountDuration duration,
                             Integer durationInMonths, OffsetDateTime startsAt, OffsetDateTime endsAt,
                             Integer maxRedemptions, long redemptionsCount, JsonNode metadata, List<UUID> productIds,
                             OffsetDateTime createdAt, OffsetDateTime modifiedAt) {

    /** Basis points are hundredths of a percent: 2,550 is 25.5 %. */
    public Discount engine(String currency) {
        if (type.equals("percentage")) {
            return Discount.percentage(BigDecimal.valueOf(basisPoints).movePointLeft(2).toPlainString());
        }
        return Discount.fixedAmount(new Money(amounts.get(currency), Money.currency(currency)));
    }

    /** Whether it may be redeemed at {@code now}: inside its window and under its redemption cap. */
    public String whyNotRedeemable(Instant now) {
        if (startsAt != null && now.isBefore(startsAt.toInstant())) {
            return "The discount is not redeemable before " + startsAt;
        }
        if (endsAt != null && !now.isBefore(endsAt.toInstant())) {
            return "The discount expired at " + endsAt;
        }
        if (maxRedemptions != null && redemptionsCount >= maxRedemptions) {
            return "The discount has reached its maximum of " + maxRedemptions + " redemptions";
        }
        return null;
    }

    @JsonValue
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("duration", duration.wireName());
        if (duration == DiscountDuration.REPEATING) {
            out.put("duration_in_months", durationInMonths);
        }
        out.put("type", type);
        if (type.equals("percentage")) {
            out.put("basis_points", basisPoints);
        } else {
            // Polar's deprecated single amount and currency: the first of the amounts
            Map.Entry<String, Long> first = amounts.entrySet().iterator().next();
            out.put("amount", first.getValue());
            out.put("currency", first.getKey());
            out.put("amounts", amounts);
        }
        out.put("created_at", createdAt);
        out.put("modified_at", modifiedAt);
        out.put("id", id);
        out.put("metadata", metadata);
        out.put("name", name);
        out.put("code", code);
        out.put("starts_at", startsAt);
        out.put("ends_at", endsAt);
        out.put("max_redemptions", maxRedemptions);
        out.put("max_redemptions_per_customer", null);
        out.put("redemptions_count", redemptionsCount);
        out.put("organization_id", organizationId);
        out.put("products", productIds.stream().map(p -> Map.of("id", p)).toList());
        return out;
    }
}
