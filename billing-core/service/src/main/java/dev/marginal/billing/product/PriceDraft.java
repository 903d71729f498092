package dev.marginal.billing.product;

import java.util.UUID;

import dev.marginal.pricing.price.Price;
import tools.jackson.databind.node.ObjectNode;

/**
 * A new price as sent, already constructed by the pricing engine (so it is valid), with what the
 * engine does not hold: the wire {@code amount_type}, the meter it reads and the tiers as stored.
 */
record PriceDraft(String amountType, Price price, UUID meterId, ObjectNode tiers) {
}
