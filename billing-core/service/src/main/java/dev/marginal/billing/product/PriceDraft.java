package dev.marginal.billing.product;

import java.util.UUID;

import dev.marginal.pricing.price.Price;
import tools.jackson.databind.node.ObjectNode;

/**
 * A new price as sent, already constructed by the pricing engine (so it is valid), with what the
 * engine does not hold: the wire {@code amount_type}, the meter it reads, the tiers as stored and
 * the price's tax behaviour.
 */
record PriceDraft(String amountType, Price price, UUID meterId, ObjectNode tiers, String taxBehavior) {

    PriceDraft(String amountType, Price price, UUID meterId, ObjectNode tiers) {
        this(amountType, price, meterId, tiers, null);
    }

    /** Polar's {@code tax_behavior}: null follows the organisation's default. */
    PriceDraft withTaxBehavior(String option) {
        return new PriceDraft(amountType, price, meterId, tiers, option);
    }
}
