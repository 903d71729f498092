package dev.marginal.billing.tax;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import dev.marginal.pricing.tax.TaxBehavior;
import dev.marginal.pricing.tax.TaxBehaviorOption;
import dev.marginal.pricing.tax.TaxDecision;
import dev.marginal.pricing.tax.TaxRate;
import dev.marginal.pricing.tax.TaxRule;
import tools.jackson.databind.JsonNode;

/**
 * Decides how a sale is taxed, as merchant of record: the customer's billing country (and, in the
 * US, ZIP code) picks the row of {@code tax_rates} in force on the day; an EU or UK business
 * with a VAT number of its own country, buying from a seller established elsewhere, is reverse
 * charged. The arithmetic is the pricing engine's ({@link TaxRule}, then {@code Invoice.compute}).
 */
@Service
public class Taxes {

    private final TaxRates rates;
    private final String sellerCountry;

    public Taxes(TaxRates rates, @Value("${marginal.tax.seller-country:IE}") String sellerCountry) {
        this.rates = rates;
        this.sellerCountry = sellerCountry;
    }

    /**
     * @param rateId the {@code tax_rates} row the decision rests on; null when nothing is collected
     */
    public record Quote(TaxDecision decision, TaxBehavior behavior, Long rateId) {
    }

    /**
     * @param billingAddress Polar's address object, or null
     * @param taxId          the customer's VAT number, or null for a consumer
     * @param at             the sale's date (an order's period start): the rate in force then applies
     */
    public Quote quote(JsonNode billingAddress, TaxId taxId, TaxBehaviorOption option, Instant at) {
        String country = text(billingAddress, "country");
        if (country == null) {
            // No address, no place of supply: nothing can be collected (Polar asks for one at checkout).
            return new Quote(TaxDecision.notCollecting("none"), option.resolve(false), null);
        }
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        var row = rates.inForce(country, text(billingAddress, "postal_code"), day);
        if (row.isEmpty()) {
            return new Quote(TaxDecision.notCollecting(country), option.resolve(false), null);
        }
        TaxRateRow rate = row.get();
        boolean crossBorder = !country.equals(sellerCountry);
        TaxRule rule = new TaxRule(rate.jurisdiction(), new TaxRate(rate.rate()), rate.reverseCharge() && crossBorder);
        // A VAT number of another country than the billing address is no proof of a business here.
        String vatId = taxId != null && taxId.country().equals(country) ? taxId.value() : null;
        return new Quote(rule.decide(vatId), option.resolve(rate.isVat()), rate.id());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
