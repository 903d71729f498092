package dev.marginal.billing.product;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.marginal.pricing.price.Recurrence;
import tools.jackson.databind.JsonNode;

/**
 * Polar's {@code Product}, field for field; {@code prices} are the live (non-archived) ones.
 * Benefits, medias, custom fields and meter intervals are not managed yet and have Polar's empty values.
 */
public record Product(UUID id, OffsetDateTime createdAt, OffsetDateTime modifiedAt, String trialInterval,
                      Integer trialIntervalCount, String name, String description, String visibility,
                      String recurringInterval, Integer recurringIntervalCount, String meterInterval,
                      Integer meterIntervalCount, boolean isRecurring, boolean isArchived, UUID organizationId,
                      JsonNode metadata, List<ProductPrice> prices, List<Object> benefits, List<Object> medias,
                      List<Object> attachedCustomFields) {

    /** The engine's recurrence; null for a one-time product. */
    public Recurrence recurrence() {
        return recurringInterval == null ? null
                : new Recurrence(Recurrence.Interval.fromWire(recurringInterval), recurringIntervalCount);
    }
}
