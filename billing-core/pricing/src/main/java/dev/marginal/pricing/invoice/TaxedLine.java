package dev.marginal.pricing.invoice;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.tax.TaxedAmount;

/**
 * A line as it ends up on the order: its share of the order's discount, then net, tax and gross
 * kept apart (tax is never revenue; the warehouse books {@code net}).
 */
public record TaxedLine(InvoiceLine line, Money discount, TaxedAmount taxed) {

    public Money net() {
        return taxed.net();
    }

    public Money tax() {
        return taxed.tax();
    }

    public Money gross() {
        return taxed.gross();
    }
}
