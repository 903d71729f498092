package dev.marginal.pricing.proration;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.Price;

/**
 * A subscription moving from one price (or quantity of seats) to another at {@code at}, inside the
 * current, already-paid {@code period}. Only in-advance prices (fixed, free) are prorated: usage is
 * billed in arrears for what was actually used, so the service simply closes the old meter's
 * usage at {@code at}.
 */
public record PlanChange(Item from, Item to, ServicePeriod period, Instant at) {

    /** A subscription item: Stripe's vocabulary for "this price, this many". */
    public record Item(String name, Price price, BigDecimal quantity, String unit) {

        public Item {
            Require.present(name, "name");
            Require.present(price, "price");
            Require.wholeQuantity(quantity);
            if (price.billing() != Price.Billing.IN_ADVANCE) {
                throw new PricingInputException("price", "only fixed and free recurring prices are prorated, not "
                        + price.type() + ": usage is billed in arrears for what was used");
            }
        }

        public Item(String name, Price price) {
            this(name, price, BigDecimal.ONE, "unit");
        }
    }

    public PlanChange {
        Require.present(from, "from");
        Require.present(to, "to");
        Require.present(period, "period");
        at = Require.present(at, "at").truncatedTo(ChronoUnit.SECONDS);
        if (!from.price().currency().equals(to.price().currency())) {
            throw new PricingInputException("to.price.price_currency", "a plan change cannot switch currency: "
                    + from.price().currency().getCurrencyCode() + " to " + to.price().currency().getCurrencyCode());
        }
        if (at.isBefore(period.start()) || !at.isBefore(period.end())) {
            throw new PricingInputException("at", "must lie in the current period [" + period.start() + ", "
                    + period.end() + "), got " + at + "; a change at the period's end is a renewal");
        }
    }
}
