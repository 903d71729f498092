package dev.marginal.billing.product;

import java.util.List;
import java.util.UUID;

import dev.marginal.pricing.price.Recurrence;
import tools.jackson.databind.node.ObjectNode;

/**
 * A product's fields as sent. On create every field is set; on update null leaves a field as it is
 * ({@code clearDescription} tells an explicit null apart), and {@code prices} null keeps the prices.
 */
record ProductDraft(String name, String description, boolean clearDescription, String visibility,
                    Recurrence recurrence, String trialInterval, Integer trialIntervalCount, ObjectNode metadata,
                    Boolean archived, List<PriceChange> prices) {

    /** One entry of {@code prices}: Polar's {@code ExistingProductPrice} ({@code {"id"}}) or a new price. */
    record PriceChange(int index, UUID keep, PriceDraft create) {
    }
}
