package dev.marginal.pricing.proration;

import java.time.Instant;
import java.util.Currency;
import java.util.List;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.InvoiceLine;
import dev.marginal.pricing.period.ServicePeriod;

/**
 * What a plan change does: when the new price takes effect, which lines it produces, whether they
 * are invoiced now or wait for the next renewal invoice, and the period the subscription is in
 * afterwards (a new one when the billing interval changed and the cycle was reset).
 *
 * @param behavior the behaviour applied — {@code PRORATE} becomes {@code INVOICE_NOW} when the
 *                 interval changes, as Polar does, because there is no next invoice on the old cycle
 */
public record ProrationOutcome(ProrationBehavior behavior, Instant effectiveAt, List<InvoiceLine> lines,
                               boolean invoiceNow, ServicePeriod currentPeriod) {

    public ProrationOutcome {
        lines = List.copyOf(lines);
    }

    /** The net of the proration lines: positive for an upgrade, negative (a credit) for a downgrade. */
    public Money net(Currency currency) {
        Money sum = Money.zero(currency);
        for (InvoiceLine line : lines) {
            sum = sum.plus(line.amount());
        }
        return sum;
    }
}
