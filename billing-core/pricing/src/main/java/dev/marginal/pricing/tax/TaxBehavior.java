package dev.marginal.pricing.tax;

/**
 * Whether a price already contains its tax (Stripe's {@code tax_behavior}). B2C prices in the EU are
 * usually {@link #INCLUSIVE} (the sticker is what the customer pays); US and B2B prices
 * {@link #EXCLUSIVE} (tax is added on top).
 */
public enum TaxBehavior {
    EXCLUSIVE, INCLUSIVE
}
