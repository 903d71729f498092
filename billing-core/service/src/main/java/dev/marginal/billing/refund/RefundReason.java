package dev.marginal.billing.refund;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Polar's {@code RefundReason}. {@code dispute_prevention} is the system's own: clients may not send it. */
public enum RefundReason {
    DUPLICATE, FRAUDULENT, CUSTOMER_REQUEST, SERVICE_DISRUPTION, SATISFACTION_GUARANTEE, DISPUTE_PREVENTION, OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RefundReason> fromWire(String wire) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(wire)).findFirst();
    }

    public boolean isClientAllowed() {
        return this != DISPUTE_PREVENTION;
    }
}
