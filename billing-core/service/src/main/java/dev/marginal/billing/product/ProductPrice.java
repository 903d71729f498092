package dev.marginal.billing.product;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.FreePrice;
import dev.marginal.pricing.price.GraduatedPrice;
import dev.marginal.pricing.price.MeteredUnitPrice;
import dev.marginal.pricing.price.OneTimePrice;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.price.Recurrence;
import dev.marginal.pricing.price.VolumePrice;
import dev.marginal.pricing.tier.Tier;
import dev.marginal.pricing.tier.Tiers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stored price row. On the wire it is Polar's {@code ProductPriceFixed}, {@code ProductPriceFree},
 * {@code ProductPriceMeteredUnit}, or Marginal's {@code metered_tiered}: each kind has its own fields,
 * so it is written as the kind's object. {@link #engine} rebuilds the pricing engine's record.
 *
 * @param meter Polar's {@code ProductPriceMeter} ({@code id, name, unit, custom_label, custom_multiplier}), or null
 * @param taxBehavior Polar's {@code tax_behavior} ({@code location}, {@code inclusive}, {@code exclusive}), or
 *                    null for the organisation's default
 */
public record ProductPrice(UUID id, UUID productId, String amountType, String currency, Long priceAmount,
                           BigDecimal unitAmount, Long capAmount, UUID meterId, JsonNode tiers, boolean archived,
                           OffsetDateTime createdAt, OffsetDateTime modifiedAt, String recurringInterval,
                           JsonNode meter, String taxBehavior) {

    public Price engine(Recurrence recurrence) {
        Currency money = Currency.getInstance(currency.toUpperCase(Locale.ROOT));
        return switch (amountType) {
            case "fixed" -> recurrence == null ? new OneTimePrice(money, priceAmount)
                    : new FixedPrice(money, priceAmount, recurrence);
            case "free" -> new FreePrice(money);
            case "metered_unit" -> new MeteredUnitPrice(money, unitAmount, capAmount, BigDecimal.ZERO);
            case "metered_tiered" -> tiered(money);
            default -> throw new IllegalStateException("unknown amount_type " + amountType);
        };
    }

    private Price tiered(Currency money) {
        List<Tier> list = new ArrayList<>();
        BigDecimal from = BigDecimal.ZERO;
        for (JsonNode tier : tiers.get("tiers")) {
            BigDecimal bound = tier.get("bound") == null || tier.get("bound").isNull() ? null
                    : tier.get("bound").decimalValue();
            list.add(new Tier(from, bound, new BigDecimal(tier.get("unit_amount").stringValue()),
                    new BigDecimal(tier.get("flat_amount").stringValue())));
            from = bound == null ? from : bound;
        }
        Tiers engineTiers = new Tiers(list);
        return tiers.get("type").stringValue().equals("graduated") ? new GraduatedPrice(money, engineTiers)
                : new VolumePrice(money, engineTiers);
    }

    @JsonValue
    public ObjectNode json() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("created_at", createdAt.toString());
        out.put("modified_at", modifiedAt == null ? null : modifiedAt.toString());
        out.put("id", id.toString());
        out.put("source", "catalog");
        out.put("amount_type", amountType);
        out.put("price_currency", currency);
        out.put("tax_behavior", taxBehavior);
        out.put("is_archived", archived);
        out.put("product_id", productId.toString());
        out.put("type", recurringInterval == null ? "one_time" : "recurring");
        out.put("recurring_interval", recurringInterval);
        switch (amountType) {
            case "fixed" -> out.put("price_amount", priceAmount);
            case "metered_unit" -> {
                out.put("unit_amount", unitAmount.stripTrailingZeros().toPlainString());
                out.put("cap_amount", capAmount);
                meter(out);
            }
            case "metered_tiered" -> {
                out.set("tiers", tiers);
                meter(out);
            }
            default -> {
            }
        }
        return out;
    }

    private void meter(ObjectNode out) {
        out.put("meter_id", meterId.toString());
        out.set("meter", meter);
    }
}
