package dev.marginal.billing.order;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Polar's order statuses that Marginal reaches, with the moves allowed between them. An order is
 * created {@code pending}, becomes {@code paid} when collected, and refunds move it to
 * {@code partially_refunded} and, once its whole net is back, {@code refunded} (final).
 */
public enum OrderStatus {
    PENDING, PAID, PARTIALLY_REFUNDED, REFUNDED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OrderStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Paid, whether or not some of it has been refunded since (Polar's {@code paid} flag). */
    public boolean isPaid() {
        return this != PENDING;
    }

    public Set<OrderStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(PAID);
            case PAID, PARTIALLY_REFUNDED -> EnumSet.of(PARTIALLY_REFUNDED, REFUNDED);
            case REFUNDED -> EnumSet.noneOf(OrderStatus.class);
        };
    }

    /** The status after refunds total {@code refunded} of a {@code net}; an illegal move is a bug, never ignored. */
    public OrderStatus afterRefund(long net, long refunded) {
        OrderStatus to = refunded >= net ? REFUNDED : PARTIALLY_REFUNDED;
        if (!next().contains(to)) {
            throw new IllegalStateException("an order " + wireName() + " cannot become " + to.wireName());
        }
        return to;
    }
}
