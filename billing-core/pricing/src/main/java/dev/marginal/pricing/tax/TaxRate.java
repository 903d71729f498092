package dev.marginal.pricing.tax;

import java.math.BigDecimal;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * A tax rate as a percentage with at most {@value #SCALE} decimals, stored at exactly that scale:
 * 19 % is {@code 19.0000}, New York City's combined 8.875 % is {@code 8.8750}. Four decimals hold
 * every published VAT, GST and US sales-tax rate; a rate needing more is a typo.
 */
public record TaxRate(BigDecimal percent) {

    public static final int SCALE = 4;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public static final TaxRate ZERO = new TaxRate(BigDecimal.ZERO);

    public TaxRate {
        Require.nonNegative(percent, "tax_rate");
        if (percent.compareTo(HUNDRED) > 0) {
            throw new PricingInputException("tax_rate", "must be a percentage between 0 and 100, got "
                    + percent.toPlainString());
        }
        if (percent.stripTrailingZeros().scale() > SCALE) {
            throw new PricingInputException("tax_rate", "has more than " + SCALE + " decimals: " + percent.toPlainString());
        }
        percent = percent.setScale(SCALE);
    }

    public static TaxRate percent(String percent) {
        return new TaxRate(new BigDecimal(percent));
    }

    public boolean isZero() {
        return percent.signum() == 0;
    }

    /** The rate as a fraction: 19 % is 0.19. Exact, since moving the point is exact. */
    public BigDecimal fraction() {
        return percent.movePointLeft(2);
    }

    @Override
    public String toString() {
        return percent.stripTrailingZeros().toPlainString() + "%";
    }
}
