package dev.marginal.dashboard;

import dev.marginal.pricing.Money;
import dev.marginal.warehouse.money.MoneyText;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * A sum of money as the page receives it: whole minor units (what charts plot and tests compare)
 * and the text a founder reads. Built from the warehouse's DECIMAL(38,12) major units through
 * {@link MoneyText}, so the dashboard rounds exactly as billing does.
 *
 * @param minor    integer minor units (cents), never a binary fraction
 * @param currency lower-case ISO 4217, as in the warehouse
 * @param text     e.g. {@code $1,234.56} or {@code -€0.40}
 */
public record Amount(long minor, String currency, String text) {

    public static Amount ofMajor(BigDecimal major, String currency) {
        Money money = MoneyText.ofMajor(major, currency);
        return new Amount(money.minorUnits(), currency.toLowerCase(Locale.ROOT), MoneyText.format(money));
    }
}
