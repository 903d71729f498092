package dev.marginal.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in integer minor units (cents for USD, yen for JPY) of one ISO-4217 currency.
 *
 * <p>Every invoiced, paid or refunded amount in Marginal is a {@code Money}. Sub-cent quantities
 * such as an LLM call's cost live as {@link BigDecimal} until they are billed, and become
 * {@code Money} only through {@link #ofMajor(BigDecimal, Currency)} or
 * {@link #ofMinor(BigDecimal, Currency)}, which round in the one place rounding happens.
 */
public record Money(long minorUnits, Currency currency) implements Comparable<Money> {

    /** Half-even ("banker's") rounding: unbiased over many lines; see docs/pricing.md for the rule and its reasons. */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("not a money currency: " + currency);
        }
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    public static Money of(long minorUnits, String currencyCode) {
        return new Money(minorUnits, currency(currencyCode));
    }

    /** Rounds an amount in major units (dollars) to minor units. */
    public static Money ofMajor(BigDecimal major, Currency currency) {
        BigDecimal minor = major.movePointRight(currency.getDefaultFractionDigits());
        return ofMinor(minor, currency);
    }

    /** Rounds a fractional amount of minor units (e.g. 0.0375 cents of token cost) to whole minor units. */
    public static Money ofMinor(BigDecimal minor, Currency currency) {
        return new Money(minor.setScale(0, ROUNDING).longValueExact(), currency);
    }

    /**
     * Rounds the quotient {@code dividend / divisor} of minor units straight to whole minor units.
     *
     * <p>Prorations ({@code amount × used seconds / period seconds}) and tax-inclusive nets
     * ({@code gross × 100 / (100 + rate)}) have no finite decimal expansion; dividing to an
     * intermediate scale and rounding again could round twice (1.4999… → 1.5 → 2). Dividing
     * directly to scale 0 rounds the exact quotient once, with {@link #ROUNDING}.
     */
    public static Money ofMinor(BigDecimal dividend, BigDecimal divisor, Currency currency) {
        return new Money(dividend.divide(divisor, 0, ROUNDING).longValueExact(), currency);
    }

    /** Parses an ISO-4217 code case-insensitively; unknown codes are rejected, never guessed. */
    public static Currency currency(String code) {
        Objects.requireNonNull(code, "currency code");
        try {
            return Currency.getInstance(code.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown currency: " + code, e);
        }
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minorUnits, other.minorUnits), currency);
    }

    public Money times(long factor) {
        return new Money(Math.multiplyExact(minorUnits, factor), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minorUnits), currency);
    }

    public boolean isNegative() {
        return minorUnits < 0;
    }

    public boolean isZero() {
        return minorUnits == 0;
    }

    /** The amount in major units with the currency's scale, e.g. 12.34 for 1234 cents. */
    public BigDecimal toMajor() {
        return BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits());
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minorUnits, other.minorUnits);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new CurrencyMismatchException(currency, other.currency);
        }
    }

    @Override
    public String toString() {
        return toMajor().toPlainString() + " " + currency.getCurrencyCode();
    }

    /** Adding dollars to euros is a bug in the caller, never something to convert silently. */
    public static final class CurrencyMismatchException extends IllegalArgumentException {
        public CurrencyMismatchException(Currency left, Currency right) {
            super("currency mismatch: " + left.getCurrencyCode() + " vs " + right.getCurrencyCode());
        }
    }
}
