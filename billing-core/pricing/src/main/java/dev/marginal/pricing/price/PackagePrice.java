package dev.marginal.pricing.price;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * Units sold in packages: {@code packageAmount} minor units per {@code packageSize} units beyond
 * {@code includedUnits}, a partial package rounded {@link PackageRounding#UP up} (bill it whole)
 * or {@link PackageRounding#DOWN down} (give it away) — Stripe's {@code transform_quantity}
 * ({@code divide_by}, {@code round}) and Lago's package charge.
 *
 * <p>This rounding is of a quantity (how many packages), not of money; the money is still
 * rounded once, in {@link Price#amount}.
 */
public record PackagePrice(Currency currency, BigDecimal packageSize, BigDecimal packageAmount,
                           PackageRounding rounding, BigDecimal includedUnits) implements Price {

    public enum PackageRounding {
        UP(RoundingMode.CEILING), DOWN(RoundingMode.FLOOR);

        private final RoundingMode mode;

        PackageRounding(RoundingMode mode) {
            this.mode = mode;
        }

        public static PackageRounding fromWire(String name) {
            Require.present(name, "round");
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new PricingInputException("round", "must be up or down, got " + name);
            }
        }
    }

    public PackagePrice {
        Require.currency(currency, "price_currency");
        Require.positive(packageSize, "package_size");
        Require.minorAmount(packageAmount, "package_amount");
        Require.present(rounding, "round");
        includedUnits = includedUnits == null ? BigDecimal.ZERO : Require.nonNegative(includedUnits, "included_units");
    }

    @Override
    public String type() {
        return "package";
    }

    @Override
    public Billing billing() {
        return Billing.IN_ARREARS;
    }

    /** Whole packages billed for a period's quantity. */
    public BigDecimal packages(BigDecimal quantity) {
        BigDecimal billable = Require.quantity(quantity).subtract(includedUnits).max(BigDecimal.ZERO);
        return billable.divide(packageSize, 0, rounding.mode);
    }

    @Override
    public BigDecimal exactAmount(BigDecimal quantity) {
        return packages(quantity).multiply(packageAmount);
    }
}
