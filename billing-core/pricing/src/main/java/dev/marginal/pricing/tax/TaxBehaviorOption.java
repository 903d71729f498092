package dev.marginal.pricing.tax;

import java.util.Locale;

import dev.marginal.pricing.PricingInputException;

/**
 * Polar's {@code TaxBehaviorOption}, what a price or an organisation asks for: a fixed
 * {@link TaxBehavior}, or {@link #LOCATION}, which follows the customer's market: VAT countries
 * show prices with tax included (an EU or UK consumer sees the price they pay), sales-tax
 * countries add it at the till (a US price is before tax).
 */
public enum TaxBehaviorOption {
    LOCATION, INCLUSIVE, EXCLUSIVE;

    /** @param vatMarket whether the customer's jurisdiction levies VAT rather than sales tax */
    public TaxBehavior resolve(boolean vatMarket) {
        return switch (this) {
            case INCLUSIVE -> TaxBehavior.INCLUSIVE;
            case EXCLUSIVE -> TaxBehavior.EXCLUSIVE;
            case LOCATION -> vatMarket ? TaxBehavior.INCLUSIVE : TaxBehavior.EXCLUSIVE;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaxBehaviorOption fromWire(String name) {
        for (TaxBehaviorOption option : values()) {
            if (option.wireName().equals(name)) {
                return option;
            }
        }
        throw new PricingInputException("tax_behavior", "must be one of location, inclusive, exclusive, got " + name);
    }
}
