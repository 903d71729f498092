package dev.marginal.pricing.tax;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * An amount split into what the merchant earns ({@code net}), what is owed to a tax authority
 * ({@code tax}) and what the customer pays ({@code gross}). Tax is never revenue, so the three
 * are kept apart, and {@code net + tax == gross} holds to the minor unit by construction.
 */
public record TaxedAmount(Money net, Money tax, Money gross, TaxDecision decision) {

    public TaxedAmount {
        Require.present(net, "net");
        Require.present(tax, "tax");
        Require.present(gross, "gross");
        Require.present(decision, "tax_decision");
        if (!net.plus(tax).equals(gross)) {
            throw new PricingInputException("gross", "must equal net + tax: " + net + " + " + tax + " != " + gross);
        }
    }
}
