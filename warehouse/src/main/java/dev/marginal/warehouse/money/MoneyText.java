package dev.marginal.warehouse.money;

import dev.marginal.pricing.Money;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * Money as founders read it on the dashboard and in reports: {@code $1,234.56}, {@code -€0.40},
 * {@code CHF 10.00}. The warehouse's DECIMAL(38,12) major units become {@link Money} (minor units)
 * through the pricing engine's {@link Money#ofMajor}, the one place rounding happens (half-even),
 * so a figure on screen or in a file rounds exactly as billing does.
 */
public final class MoneyText {

    private MoneyText() {}

    /** The warehouse amount (major units, any scale; null as zero) in whole minor units of {@code currency}. */
    public static Money ofMajor(BigDecimal major, String currency) {
        return Money.ofMajor(major == null ? BigDecimal.ZERO : major, Money.currency(currency));
    }

    /** Grouped by thousands, the currency's own number of digits, the sign before the symbol. */
    public static String format(Money money) {
        BigDecimal major = money.toMajor().abs();
        String whole = String.format(Locale.ROOT, "%,d", major.toBigInteger());
        String plain = major.toPlainString();
        String fraction = money.currency().getDefaultFractionDigits() == 0 ? "" : plain.substring(plain.indexOf('.'));
        return (money.isNegative() ? "-" : "") + symbol(money.currency()) + whole + fraction;
    }

    /** The amount in major units at the currency's scale, no grouping, for CSV: {@code -1234.50}. */
    public static String plain(Money money) {
        return money.toMajor().toPlainString();
    }

    /** The symbol founders expect for common currencies; the ISO code and a space otherwise. */
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
