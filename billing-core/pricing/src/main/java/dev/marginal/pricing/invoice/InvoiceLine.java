package dev.marginal.pricing.invoice;

import java.math.BigDecimal;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.Price;

/**
 * One line of an order (invoice), before discount and tax: Stripe's invoice line item.
 *
 * <p>Only a proration may be negative (the credit for unused time); every other line charges.
 * A one-time line has no service period; every other line says which period it pays for.
 *
 * @param amount the line amount, rounded once when it was priced
 * @param unit what the quantity counts, e.g. {@code seat}, {@code token}, {@code request}
 */
public record InvoiceLine(String description, LineKind kind, ServicePeriod period, BigDecimal quantity,
                          String unit, Money amount) {

    public InvoiceLine {
        if (Require.present(description, "description").isBlank()) {
            throw new PricingInputException("description", "must not be blank");
        }
        Require.present(kind, "kind");
        Require.quantity(quantity);
        Require.present(amount, "amount");
        unit = unit == null || unit.isBlank() ? "unit" : unit;
        if (kind != LineKind.ONE_TIME && period == null) {
            throw new PricingInputException("period", "is required for a " + kind.wireName() + " line");
        }
        if (amount.isNegative() && kind != LineKind.PRORATION) {
            throw new PricingInputException("amount", "only a proration may be negative, a " + kind.wireName()
                    + " line was " + amount);
        }
    }

    /** Prices a period's total {@code quantity} into one line, rounding once. */
    public static InvoiceLine priced(String description, ServicePeriod period, Price price, BigDecimal quantity,
                                     String unit) {
        Require.present(price, "price");
        return new InvoiceLine(description, LineKind.of(price), period, quantity, unit, price.amount(quantity));
    }
}
