package dev.marginal.pricing.proration;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.Require;
import dev.marginal.pricing.invoice.InvoiceLine;
import dev.marginal.pricing.invoice.LineKind;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.Price;

/**
 * Proration by the second, as Stripe does by default:
 *
 * <pre>
 * credit = −round(old period amount × remaining seconds / period seconds)
 * charge =  round(new period amount × remaining seconds / period seconds)
 * </pre>
 *
 * Each line is rounded once, half-even, straight from the exact quotient. The time already used is
 * never priced on its own: it is what remains of the old amount after the credit, so used + credit
 * is the old amount to the cent and no fraction of a cent leaks between the two.
 *
 * <p>When both prices are fixed and their intervals differ (monthly to yearly), the billing cycle
 * resets at the change, as Stripe and Polar do: credit for the old period's unused time, a charge
 * for a full new period starting at the change, invoiced now.
 */
public final class Proration {

    private Proration() {
    }

    /** {@code full × part / period}, by seconds, rounded once. A part equal to the period gives {@code full}. */
    public static Money prorate(Money full, ServicePeriod period, ServicePeriod part) {
        Require.present(full, "amount");
        return Money.ofMinor(BigDecimal.valueOf(full.minorUnits()).multiply(BigDecimal.valueOf(part.seconds())),
                BigDecimal.valueOf(period.seconds()), full.currency());
    }

    public static ProrationOutcome apply(PlanChange change, ProrationBehavior behavior) {
        Require.present(change, "change");
        Require.present(behavior, "proration_behavior");
        ServicePeriod period = change.period();
        if (behavior == ProrationBehavior.NEXT_PERIOD) {
            return new ProrationOutcome(behavior, period.end(), List.of(), false, period);
        }
        ServicePeriod remaining = period.from(change.at());
        InvoiceLine credit = credit(change.from(), period, remaining);
        FixedPrice newFixed = change.to().price() instanceof FixedPrice f ? f : null;
        FixedPrice oldFixed = change.from().price() instanceof FixedPrice f ? f : null;
        if (newFixed != null && oldFixed != null && !newFixed.recurrence().equals(oldFixed.recurrence())) {
            ServicePeriod reset = newFixed.recurrence().period(change.at(), 0);
            InvoiceLine fullNewPeriod = line("Remaining time on " + change.to().name() + " from " + day(change.at()),
                    reset, change.to(), full(change.to()));
            return new ProrationOutcome(ProrationBehavior.INVOICE_NOW, change.at(), List.of(credit, fullNewPeriod), true,
                    reset);
        }
        InvoiceLine charge = line("Remaining time on " + change.to().name() + " after " + day(change.at()), remaining,
                change.to(), prorate(full(change.to()), period, remaining));
        return new ProrationOutcome(behavior, change.at(), List.of(credit, charge),
                behavior == ProrationBehavior.INVOICE_NOW, period);
    }

    private static InvoiceLine credit(PlanChange.Item from, ServicePeriod period, ServicePeriod remaining) {
        return line("Unused time on " + from.name() + " after " + day(remaining.start()), remaining, from,
                prorate(full(from), period, remaining).negate());
    }

    /** What a whole period of the item costs: the rounded line the customer was (or would be) billed. */
    private static Money full(PlanChange.Item item) {
        Price price = item.price();
        return price.amount(item.quantity());
    }

    private static InvoiceLine line(String description, ServicePeriod period, PlanChange.Item item, Money amount) {
        return new InvoiceLine(description, LineKind.PRORATION, period, item.quantity(), item.unit(), amount);
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }
}
