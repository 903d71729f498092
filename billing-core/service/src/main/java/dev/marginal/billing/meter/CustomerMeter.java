package dev.marginal.billing.meter;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;

import dev.marginal.billing.customer.Customer;

/**
 * Polar's {@code CustomerMeter}: a customer's consumption on a meter. Marginal computes it from
 * events when asked (Polar keeps a running row); with no credits yet, {@code balance} is
 * {@code credited_units − consumed_units}.
 */
public record CustomerMeter(UUID id, OffsetDateTime createdAt, OffsetDateTime modifiedAt, UUID customerId,
                            UUID meterId, BigDecimal consumedUnits, BigDecimal creditedUnits, BigDecimal balance,
                            Customer customer, Meter meter) {

    /** Stable for a (customer, meter) pair, so a listed id can be fetched again. */
    public static UUID idOf(UUID customerId, UUID meterId) {
        return UUID.nameUUIDFromBytes(("customer-meter:" + customerId + ":" + meterId).getBytes(StandardCharsets.UTF_8));
    }
}
