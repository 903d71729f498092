package dev.marginal.pricing.proration;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * What happens to money when a subscription changes price mid-period (Polar's
 * {@code proration_behavior}; Stripe's {@code create_prorations}, {@code always_invoice}, {@code none}).
 */
public enum ProrationBehavior {
    /** Change now; the credit and the charge wait as lines on the next renewal invoice. */
    PRORATE("prorate"),
    /** Change now and invoice the difference at once (Polar calls it {@code invoice}). */
    INVOICE_NOW("invoice_now"),
    /** No proration: the current period runs out on the old price, the new one applies at renewal. */
    NEXT_PERIOD("next_period");

    private final String wireName;

    ProrationBehavior(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ProrationBehavior fromWire(String name) {
        Require.present(name, "proration_behavior");
        if (name.equals("invoice")) {
            return INVOICE_NOW;
        }
        for (ProrationBehavior behavior : values()) {
            if (behavior.wireName.equals(name)) {
                return behavior;
            }
        }
        throw new PricingInputException("proration_behavior", "must be prorate, invoice_now (or invoice) or next_period,"
                + " got " + name);
    }
}
