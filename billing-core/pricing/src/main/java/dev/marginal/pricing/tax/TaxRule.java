package dev.marginal.pricing.tax;

import dev.marginal.pricing.Require;

/**
 * One row of the service's tax table, already chosen for the customer's location and the date:
 * a jurisdiction's rate, and whether businesses with a VAT id there are reverse-charged (true for
 * EU member states when selling cross-border B2B; false for UK domestic or US sales tax).
 *
 * <p>The table, its versions and the VAT id validation live in the service; this value turns its
 * answer into a {@link TaxDecision} the same way everywhere.
 */
public record TaxRule(String jurisdiction, TaxRate rate, boolean reverseChargeForBusinesses) {

    public TaxRule {
        Require.present(jurisdiction, "jurisdiction");
        Require.present(rate, "tax_rate");
    }

    /** @param customerVatId the customer's validated VAT id, or {@code null} for a consumer */
    public TaxDecision decide(String customerVatId) {
        boolean business = customerVatId != null && !customerVatId.isBlank();
        if (business && reverseChargeForBusinesses) {
            return TaxDecision.reverseCharge(jurisdiction, customerVatId);
        }
        return TaxDecision.standard(jurisdiction, rate);
    }
}
