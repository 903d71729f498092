package dev.marginal.billing.subscription;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.http.Body;
import dev.marginal.billing.order.Orders;
import dev.marginal.billing.problem.Violations;
import dev.marginal.billing.product.Product;
import dev.marginal.billing.product.ProductPrice;
import dev.marginal.billing.product.ProductRepository;
import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.InvoiceLine;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.FreePrice;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.price.Recurrence;
import dev.marginal.pricing.proration.PlanChange;
import dev.marginal.pricing.proration.Proration;
import dev.marginal.pricing.proration.ProrationBehavior;
import dev.marginal.pricing.proration.ProrationOutcome;

/**
 * Upgrades and downgrades: Polar's {@code PATCH /v1/subscriptions/{id}} with {@code product_id}
 * and {@code proration_behavior}. The money is the pricing engine's ({@link Proration}, by the
 * second); this class only decides which prices meet and where the lines go:
 *
 * <ul>
 *   <li>{@code invoice}: a {@code subscription_update} order now, collected at once (a declined
 *       one makes the subscription past due, as any order does);</li>
 *   <li>{@code prorate}: the lines wait as pending invoice items for the next renewal order;</li>
 *   <li>{@code next_period}: nothing now; a pending update switches the product when the period
 *       ends, and the renewal order bills the new product.</li>
 * </ul>
 *
 * Usage is billed in arrears at the price it was used under: a change bills the replaced prices'
 * usage up to the change with the proration lines, and the new prices meter from the change on.
 * A change of billing interval resets the cycle at the change and is invoiced now (Polar, Stripe).
 */
@Service
public class PlanChanges {

    private final SubscriptionRepository repository;
    private final ProductRepository products;
    private final Orders orders;
    private final PaymentOutcomes outcomes;
    private final BillingClock clock;

    PlanChanges(SubscriptionRepository repository, ProductRepository products, Orders orders,
                PaymentOutcomes outcomes, BillingClock clock) {
        this.repository = repository;
        this.products = products;
        this.orders = orders;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** A trial is free and a subscription that owes money must pay first: only these may change product. */
    static boolean canChangeProduct(SubscriptionStatus status) {
        return status == SubscriptionStatus.ACTIVE || status == SubscriptionStatus.TRIALING;
    }

    @Transactional
    public void change(UUID organizationId, UUID id, Product product, ProrationBehavior behavior) {
        SubscriptionRow row = repository.lock(organizationId, id).orElseThrow(SubscriptionController::notFound);
        if (!canChangeProduct(row.status())) {
            throw SubscriptionStatus.illegal("A " + row.status().wireName()
                    + " subscription cannot change product; only active and trialing ones can.");
        }
        List<ProductPrice> newPrices = validate(row, product);
        Instant now = clock.now(organizationId).truncatedTo(ChronoUnit.SECONDS);
        Recurrence recurrence = product.recurrence();
        long amount = inAdvanceAmount(newPrices, recurrence);
        List<UUID> newPriceIds = newPrices.stream().map(ProductPrice::id).toList();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("from_product_id", row.productId().toString());
        detail.put("to_product_id", product.id().toString());
        if (row.status() == SubscriptionStatus.TRIALING) {
            // Nothing was paid for a trial, so nothing is prorated: the trial goes on with the new product.
            repository.changeProduct(id, new SubscriptionRepository.ProductChange(product.id(), amount, recurrence,
                    row.billingAnchor(), row.periodIndex(), row.currentPeriodStart(), row.currentPeriodEnd(), null,
                    newPriceIds));
            detail.put("proration_behavior", "none_in_trial");
            repository.event(organizationId, id, "product_changed", row.status(), row.status(), now, detail);
            return;
        }
        detail.put("proration_behavior", wire(behavior));
        if (behavior == ProrationBehavior.NEXT_PERIOD) {
            repository.schedulePending(id, product.id(), row.currentPeriodEnd(), now);
            detail.put("applies_at", row.currentPeriodEnd().toString());
            repository.event(organizationId, id, "product_change_scheduled", row.status(), row.status(), now, detail);
            return;
        }
        Product old = products.find(organizationId, row.productId()).orElseThrow();
        List<ProductPrice> oldPrices = products.pricesByIds(organizationId, repository.priceIds(id));
        Priced from = inAdvance(old.name(), oldPrices, row.recurrence(), row.currency());
        Priced to = inAdvance(product.name(), newPrices, recurrence, row.currency());
        ServicePeriod period = new ServicePeriod(row.currentPeriodStart(), row.currentPeriodEnd());
        ProrationOutcome outcome = Proration.apply(new PlanChange(from.item(), to.item(), period, now), behavior);

        List<Orders.Line> lines = new ArrayList<>();
        for (int i = 0; i < outcome.lines().size(); i++) {
            InvoiceLine line = outcome.lines().get(i);
            if (!line.amount().isZero()) {
                // Proration.apply gives the credit for the old item first, then the charge for the new one.
                lines.add(new Orders.Line(line, i == 0 ? from.priceId() : to.priceId()));
            }
        }
        lines.addAll(usageSoFar(row, old.name(), oldPrices, now));

        boolean reset = !outcome.currentPeriod().equals(period);
        ServicePeriod current = outcome.currentPeriod();
        repository.changeProduct(id, new SubscriptionRepository.ProductChange(product.id(), amount, recurrence,
                reset ? now : row.billingAnchor(), reset ? 0 : row.periodIndex(), current.start(), current.end(), now,
                newPriceIds));
        detail.put("proration_amount", outcome.net(Money.currency(row.currency())).minorUnits());
        if (reset) {
            detail.put("billing_cycle_reset", true);
        }
        if (!outcome.invoiceNow()) {
            orders.carry(organizationId, id, lines, now);
            repository.event(organizationId, id, "product_changed", row.status(), row.status(), now, detail);
            return;
        }
        if (lines.isEmpty()) {
            repository.event(organizationId, id, "product_changed", row.status(), row.status(), now, detail);
            return;
        }
        Orders.Billed billed = orders.billUpdate(organizationId, id, new ServicePeriod(now, current.end()), lines, now);
        detail.put("order_id", billed.orderId().toString());
        repository.event(organizationId, id, "product_changed", row.status(), row.status(), now, detail);
        PaymentOutcomes.Payment after = outcomes.afterPayment(organizationId, id, row.status(), row.dunning(),
                billed, now);
        repository.payment(id, after.status(), after.dunning());
    }

    /**
     * A {@code next_period} change reaching its period's end, inside the renewal sweep: bills the
     * replaced prices' usage of the ended period (returned, for the renewal order) and switches the
     * product. Returns the recurrence the subscription renews on from here.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Applied applyPending(SubscriptionRow row, Instant periodStart, Instant periodEnd, long index) {
        UUID org = row.organizationId();
        Product product = products.find(org, row.pendingProductId()).orElseThrow();
        Product old = products.find(org, row.productId()).orElseThrow();
        List<ProductPrice> oldPrices = products.pricesByIds(org, repository.priceIds(row.id()));
        Instant usageStart = row.usageStart().isAfter(periodStart) ? row.usageStart() : periodStart;
        List<Orders.Line> usage = usageStart.isBefore(periodEnd)
                ? orders.usageLines(org, row.customerId(), old.name(), oldPrices, row.recurrence(),
                new ServicePeriod(usageStart, periodEnd)) : List.of();
        List<ProductPrice> newPrices = product.prices().stream().filter(p -> p.currency().equals(row.currency()))
                .toList();
        Recurrence recurrence = product.recurrence();
        boolean reset = !recurrence.equals(row.recurrence());
        // A new interval starts its cycle at the change; the same interval keeps the anchor.
        Instant anchor = reset ? periodEnd : row.billingAnchor();
        long nextIndex = reset ? 0 : index + 1;
        ServicePeriod next = recurrence.period(anchor, nextIndex);
        repository.changeProduct(row.id(), new SubscriptionRepository.ProductChange(product.id(),
                inAdvanceAmount(newPrices, recurrence), recurrence, anchor, reset ? 0 : index,
                periodStart, periodEnd, null, newPrices.stream().map(ProductPrice::id).toList()));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("from_product_id", row.productId().toString());
        detail.put("to_product_id", product.id().toString());
        detail.put("proration_behavior", "next_period");
        repository.event(org, row.id(), "product_changed", row.status(), row.status(), periodEnd, detail);
        return new Applied(usage, recurrence, anchor, nextIndex, next);
    }

    /** The outcome of {@link #applyPending}: the old prices' usage lines and the period the renewal opens. */
    record Applied(List<Orders.Line> usage, Recurrence recurrence, Instant anchor, long index, ServicePeriod next) {
    }

    /** The product must be the organisation's, recurring, live, another one, and priced in the subscription's currency. */
    private static List<ProductPrice> validate(SubscriptionRow row, Product product) {
        Violations violations = new Violations();
        if (product.recurrence() == null) {
            violations.add(Body.loc("product_id"), "A one-time product cannot be subscribed to", "value_error");
        } else if (product.isArchived()) {
            violations.add(Body.loc("product_id"), "The product is archived", "value_error");
        } else if (product.id().equals(row.productId())) {
            violations.add(Body.loc("product_id"), "The subscription is already on this product", "value_error");
        }
        List<ProductPrice> prices = product.prices().stream().filter(p -> p.currency().equals(row.currency()))
                .toList();
        if (violations.isEmpty() && prices.isEmpty()) {
            violations.add(Body.loc("product_id"), "The product has no price in " + row.currency()
                    + ", the subscription's currency; a plan change cannot switch currency", "value_error");
        }
        violations.throwIfAny();
        return prices;
    }

    /** The replaced prices' usage from where it was last billed up to the change, at those prices. */
    private List<Orders.Line> usageSoFar(SubscriptionRow row, String productName, List<ProductPrice> prices,
                                         Instant now) {
        Instant start = row.usageStart();
        if (!start.isBefore(now)) {
            return List.of();
        }
        return orders.usageLines(row.organizationId(), row.customerId(), productName, prices, row.recurrence(),
                new ServicePeriod(start, now));
    }

    private record Priced(PlanChange.Item item, UUID priceId) {
    }

    /**
     * The in-advance price a product is sold at (a product has at most one fixed or free price per
     * currency); a product of metered prices only prorates as free.
     */
    private static Priced inAdvance(String name, List<ProductPrice> prices, Recurrence recurrence, String currency) {
        for (ProductPrice price : prices) {
            Price engine = price.engine(recurrence);
            if (engine.billing() == Price.Billing.IN_ADVANCE) {
                return new Priced(new PlanChange.Item(name, engine), price.id());
            }
        }
        return new Priced(new PlanChange.Item(name, new FreePrice(Money.currency(currency))), null);
    }

    static long inAdvanceAmount(List<ProductPrice> prices, Recurrence recurrence) {
        long amount = 0;
        for (ProductPrice price : prices) {
            Price engine = price.engine(recurrence);
            if (engine.billing() == Price.Billing.IN_ADVANCE) {
                amount += engine.amount(1).minorUnits();
            }
        }
        return amount;
    }

    /** Polar's names on the wire: {@code invoice}, {@code prorate}, {@code next_period}. */
    static String wire(ProrationBehavior behavior) {
        return behavior == ProrationBehavior.INVOICE_NOW ? "invoice" : behavior.wireName();
    }
}
