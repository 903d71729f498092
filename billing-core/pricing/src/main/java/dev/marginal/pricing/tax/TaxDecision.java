package dev.marginal.pricing.tax;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * The outcome of the service's tax lookup for one customer and one sale: which rate applies and
 * why. Deciding it (country tables, VAT id checks) is the service's job; computing with it is the
 * engine's. Only {@link TaxTreatment#STANDARD} may carry a non-zero rate, and a reverse charge
 * must carry the customer's VAT id, because the invoice has to print it.
 *
 * @param jurisdiction e.g. {@code DE}, {@code GB}, {@code US-NY}
 * @param customerTaxId the VAT id a reverse charge rests on; {@code null} otherwise
 */
public record TaxDecision(TaxTreatment treatment, TaxRate rate, String jurisdiction, String customerTaxId) {

    public TaxDecision {
        Require.present(treatment, "tax_treatment");
        Require.present(rate, "tax_rate");
        Require.present(jurisdiction, "jurisdiction");
        if (treatment != TaxTreatment.STANDARD && !rate.isZero()) {
            throw new PricingInputException("tax_rate", "must be 0 for " + treatment + ", got " + rate);
        }
        if (treatment == TaxTreatment.REVERSE_CHARGE && (customerTaxId == null || customerTaxId.isBlank())) {
            throw new PricingInputException("customer_tax_id", "is required for a reverse charge");
        }
    }

    public static TaxDecision standard(String jurisdiction, TaxRate rate) {
        return new TaxDecision(TaxTreatment.STANDARD, rate, jurisdiction, null);
    }

    public static TaxDecision reverseCharge(String jurisdiction, String customerVatId) {
        return new TaxDecision(TaxTreatment.REVERSE_CHARGE, TaxRate.ZERO, jurisdiction, customerVatId);
    }

    public static TaxDecision notCollecting(String jurisdiction) {
        return new TaxDecision(TaxTreatment.NOT_COLLECTING, TaxRate.ZERO, jurisdiction, null);
    }

    public boolean isReverseCharge() {
        return treatment == TaxTreatment.REVERSE_CHARGE;
    }
}
