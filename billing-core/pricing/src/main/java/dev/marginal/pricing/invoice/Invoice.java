package dev.marginal.pricing.invoice;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;
import dev.marginal.pricing.tax.TaxBehavior;
import dev.marginal.pricing.tax.TaxCalculation;
import dev.marginal.pricing.tax.TaxDecision;

/**
 * An order's totals (Polar's {@code subtotal_amount}, {@code discount_amount}, {@code net_amount},
 * {@code tax_amount}, {@code total_amount}), computed from its lines in one currency:
 *
 * <ol>
 *   <li>subtotal = Σ line amounts (gross of tax when prices are tax-inclusive);</li>
 *   <li>discount = the discount's amount off the subtotal, spread over the charging lines in
 *       proportion to their amounts ({@link Allocation}), so each line is taxed on what it really costs;</li>
 *   <li>each line's {@code amount − its discount} is split into net, tax and gross by
 *       {@link TaxCalculation} — tax is rounded per line, as Stripe and Orb do;</li>
 *   <li>net, tax and total are the sums of the lines' net, tax and gross.</li>
 * </ol>
 *
 * So {@code net + tax == total} always, {@code total == subtotal − discount + tax} for exclusive
 * prices and {@code total == subtotal − discount} for inclusive ones. A total below zero (a
 * downgrade's credit larger than its charges) is returned as is: the service carries it to the
 * customer's balance, as Stripe does, rather than paying it out.
 */
public record Invoice(Currency currency, List<TaxedLine> lines, Money subtotal, Money discount, Money net, Money tax,
                      Money total) {

    public Invoice {
        lines = List.copyOf(lines);
    }

    /**
     * @param discount {@code null} for none
     * @throws PricingInputException when a line is in another currency than {@code currency}
     */
    public static Invoice compute(Currency currency, List<InvoiceLine> lines, Discount discount, TaxBehavior behavior,
                                  TaxDecision decision) {
        Require.currency(currency, "currency");
        Require.present(lines, "lines");
        Require.present(behavior, "tax_behavior");
        Require.present(decision, "tax_decision");
        Money subtotal = Money.zero(currency);
        long[] weights = new long[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            Money amount = Require.present(lines.get(i), "lines[" + i + "]").amount();
            if (!amount.currency().equals(currency)) {
                throw new PricingInputException("lines[" + i + "].amount", "is in " + amount.currency().getCurrencyCode()
                        + " but the order is in " + currency.getCurrencyCode() + "; an order has one currency");
            }
            subtotal = subtotal.plus(amount);
            weights[i] = Math.max(0, amount.minorUnits());
        }
        Money discountTotal = discount == null ? Money.zero(currency) : discount.amountOff(subtotal);
        long[] shares = Allocation.proportional(discountTotal.minorUnits(), weights);

        List<TaxedLine> taxedLines = new ArrayList<>(lines.size());
        Money net = Money.zero(currency);
        Money tax = Money.zero(currency);
        Money total = Money.zero(currency);
        for (int i = 0; i < lines.size(); i++) {
            InvoiceLine line = lines.get(i);
            Money share = new Money(shares[i], currency);
            TaxedLine taxed = new TaxedLine(line, share, TaxCalculation.of(line.amount().minus(share), behavior, decision));
            taxedLines.add(taxed);
            net = net.plus(taxed.net());
            tax = tax.plus(taxed.tax());
            total = total.plus(taxed.gross());
        }
        return new Invoice(currency, taxedLines, subtotal, discountTotal, net, tax, total);
    }
}
