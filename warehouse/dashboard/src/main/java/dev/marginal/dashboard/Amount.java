package dev.marginal.dashboard;

import dev.marginal.pricing.Money;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * A sum of money as the page receives it: whole minor units (what charts plot and tests compare)
 * and the text a founder reads. Built from the warehouse's DECIMAL(38,12) major units through the
 * pricing engine's {@link Money#ofMajor}, so the dashboard rounds exactly as billing does.
 *
 * @param minor    integer minor units (cents), never a binary fraction
 * @param currency lower-case ISO 4217, as in the warehouse
 * @param text     e.g. {@code $1,234.56} or {@code -€0.40}
 */
public record Amount(long minor, String currency, String text) {

    public static Amount ofMajor(BigDecimal major, String currency) {
        Currency unit = Money.currency(currency);
        Money money = Money.ofMajor(major == null ? BigDecimal.ZERO : major, unit);
        return new Amount(money.minorUnits(), currency.toLowerCase(Locale.ROOT), text(money));
    }

    /** {@code $1,234.56}: grouping by thousands, the currency's own digits, the sign before the symbol. */
    static String text(Money money) {
        int digits = money.currency().getDefaultFractionDigits();
        BigDecimal major = money.toMajor().abs();
        String whole = String.format(Locale.ROOT, "%,d", major.toBigInteger());
        String fraction = digits == 0 ? "" : "." + major.toPlainString().substring(major.toPlainString().indexOf('.') + 1);
        String symbol = symbol(money.currency());
        return (money.isNegative() ? "-" : "") + symbol + whole + fraction;
    }

    /** The symbol founders expect for common currencies; the ISO code (and a space) otherwise. */
    private static String symbol(Currency currency) {
        return switch (currency.getCurrencyCode()) {
            case "USD" -> "$";
            case "EUR" -> "€";
            case "GBP" -> "£";
            case "JPY" -> "¥";
            default -> currency.getCurrencyCode() + " ";
        };
    }
}
