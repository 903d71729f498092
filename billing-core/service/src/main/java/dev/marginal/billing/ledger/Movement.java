package dev.marginal.billing.ledger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.marginal.pricing.Money;

/**
 * One movement of money: the rows of {@code transactions} that share a correlation key. It cannot
 * be constructed unless its entries sum to zero in every currency, and {@link Ledger#post} is the
 * only way rows are written, so the database's commit-time check is the second line, not the first.
 */
public record Movement(UUID organizationId, UUID correlationKey, Instant at, UUID orderId, UUID paymentId,
                       List<Entry> entries) {

    /** Stripe's balance transaction types, and {@code tax}: what a payment owes a tax authority. */
    public enum Type {
        PAYMENT, TAX, PROCESSOR_FEE, PLATFORM_FEE, DISPUTE_FEE, REFUND, REFUND_REVERSAL, DISPUTE, DISPUTE_REVERSAL, BALANCE, PAYOUT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Money {@code amount} arrives at {@code account} (negative: leaves it). */
    public record Entry(Type type, String account, Money amount) {
        public Entry {
            if (amount.isZero()) {
                throw new IllegalArgumentException("a ledger entry moves money; " + type.wireName() + " to " + account
                        + " is zero");
            }
        }
    }

    public Movement {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a movement has entries");
        }
        Map<java.util.Currency, Long> sums = new HashMap<>();
        for (Entry entry : entries) {
            sums.merge(entry.amount().currency(), entry.amount().minorUnits(), Math::addExact);
        }
        sums.forEach((currency, sum) -> {
            if (sum != 0) {
                throw new UnbalancedMovementException("movement does not balance: " + sum + " "
                        + currency.getCurrencyCode() + " left over");
            }
        });
    }

    /** {@code amount} moves from one account to another, as one pair of rows of one type. */
    public static List<Entry> transfer(Type type, String from, String to, Money amount) {
        return List.of(new Entry(type, from, amount.negate()), new Entry(type, to, amount));
    }

    public static final class UnbalancedMovementException extends IllegalArgumentException {
        public UnbalancedMovementException(String message) {
            super(message);
        }
    }
}
