package dev.marginal.billing.event;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * What an event cost, in cents of {@code currency}, and where the figure came from:
 * {@code event} (the client's {@code _cost}) or {@code catalog} (priced at ingest by the
 * {@code modelPriceId} row).
 */
public record EventCost(BigDecimal amount, String currency, String source, UUID modelPriceId) {

    public static final String FROM_EVENT = "event";
    public static final String FROM_CATALOG = "catalog";
}
