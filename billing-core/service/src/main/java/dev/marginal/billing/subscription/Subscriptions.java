package dev.marginal.billing.subscription;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.customer.Customer;
import dev.marginal.billing.discount.Discounts;
import dev.marginal.billing.http.Body;
import dev.marginal.billing.order.Orders;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.Violations;
import dev.marginal.billing.product.Product;
import dev.marginal.billing.product.ProductPrice;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.price.Recurrence;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of a subscription's life: creation (with a trial or not), cancelling at period end and
 * undoing it, revoking, renewal and failed-payment retries (dunning) driven by the clock. Every change of state goes through
 * {@link SubscriptionStatus#transitionTo} and is written to {@code subscription_events} in the
 * same transaction as the change itself.
 */
@Service
public class Subscriptions {

    private static final int RENEWAL_BATCH = 500;

    private final SubscriptionRepository repository;
    private final Orders orders;
    private final DunningSchedule schedule;
    private final Discounts discounts;
    private final BillingClock clock;
    private final PaymentOutcomes outcomes;
    private final PlanChanges planChanges;
    private final AuditLog audit;

    Subscriptions(SubscriptionRepository repository, Orders orders, DunningSchedule schedule,
                  Discounts discounts, BillingClock clock, PaymentOutcomes outcomes, PlanChanges planChanges,
                  AuditLog audit) {
        this.audit = audit;
        this.outcomes = outcomes;
        this.planChanges = planChanges;
        this.discounts = discounts;
        this.repository = repository;
        this.orders = orders;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** Business time in whole seconds, as {@link ServicePeriod} keeps it. */
    private Instant now(UUID organizationId) {
        return clock.now(organizationId).truncatedTo(ChronoUnit.SECONDS);
    }

    record Create(Customer customer, Product product, String currency, UUID discountId, ObjectNode metadata) {
    }

    @Transactional
    public UUID create(UUID organizationId, Create request) {
        Product product = request.product();
        Violations violations = new Violations();
        Recurrence recurrence = product.recurrence();
        if (recurrence == null) {
            violations.add(Body.loc("product_id"), "A one-time product cannot be subscribed to", "value_error");
        } else if (product.isArchived()) {
            violations.add(Body.loc("product_id"), "The product is archived", "value_error");
        }
        String currency = currency(product, request.currency(), violations);
        violations.throwIfAny();
        List<ProductPrice> prices = product.prices().stream().filter(p -> p.currency().equals(currency)).toList();
        long amount = 0;
        for (ProductPrice price : prices) {
            Price engine = price.engine(recurrence);
            if (engine.billing() == Price.Billing.IN_ADVANCE) {
                amount += engine.amount(1).minorUnits();
            }
        }
        Instant now = now(organizationId);
        boolean trial = product.trialInterval() != null;
        Instant trialEnd = trial ? trialEnd(now, product.trialInterval(), product.trialIntervalCount()) : null;
        Instant anchor = trial ? trialEnd : now;
        ServicePeriod period = trial ? new ServicePeriod(now, trialEnd) : recurrence.period(anchor, 0);
        SubscriptionStatus status = trial ? SubscriptionStatus.TRIALING : SubscriptionStatus.ACTIVE;
        UUID id = repository.insert(new SubscriptionRepository.NewSubscription(organizationId,
                request.customer().id(), product.id(), currency, amount, recurrence, status, anchor, period.start(),
                period.end(), trial ? now : null, trialEnd, now, request.metadata(),
                prices.stream().map(ProductPrice::id).toList()));
        repository.event(organizationId, id, "created", null, status, now, Map.of("currency", currency));
        if (request.discountId() != null) {
            discounts.redeem(organizationId, request.discountId(), id, request.customer().id(), product.id(), currency,
                    now);
        }
        if (!trial) {
            // A trial is free: its first order comes when the trial ends and the first paid period starts.
            Orders.Billed billed = orders.billSubscription(organizationId, id, Orders.Reason.SUBSCRIPTION_CREATE,
                    period, null, now);
            PaymentOutcomes.Payment after = outcomes.afterPayment(organizationId, id, status, Dunning.NONE, billed, now);
            repository.payment(id, after.status(), after.dunning());
        }
        return id;
    }

    /**
     * The subscription's currency: the one asked for, or the product's only one. A currency the
     * product has no price in is refused: a subscription is never priced in two currencies.
     */
    private static String currency(Product product, String asked, Violations violations) {
        TreeSet<String> currencies = new TreeSet<>();
        product.prices().forEach(p -> currencies.add(p.currency()));
        if (asked != null) {
            if (!currencies.contains(asked)) {
                violations.add(Body.loc("currency"), "The product has no price in " + asked + "; its prices are in "
                        + String.join(", ", currencies), "value_error");
            }
            return asked;
        }
        if (currencies.size() > 1) {
            violations.add(Body.loc("currency"), "Field required: the product has prices in "
                    + String.join(", ", currencies), "missing");
            return null;
        }
        if (currencies.isEmpty()) {
            violations.add(Body.loc("product_id"), "The product has no live price", "value_error");
            return null;
        }
        return currencies.first();
    }

    /** Polar's trial configuration, in UTC calendar units. */
    static Instant trialEnd(Instant start, String interval, int count) {
        ZonedDateTime at = start.atZone(ZoneOffset.UTC);
        ZonedDateTime end = switch (interval) {
            case "day" -> at.plusDays(count);
            case "week" -> at.plusWeeks(count);
            case "month" -> at.plusMonths(count);
            case "year" -> at.plusYears(count);
            default -> throw new IllegalStateException("unknown trial interval " + interval);
        };
        return end.toInstant();
    }

    /**
     * Polar's {@code SubscriptionCancel}: {@code true} keeps access until the period ends and then
     * cancels; {@code false} undoes that. Both are 409 when there is nothing to schedule or undo.
     */
    @Transactional
    public void cancelAtPeriodEnd(UUID organizationId, UUID id, boolean cancel) {
        SubscriptionRow row = repository.lock(organizationId, id).orElseThrow(SubscriptionController::notFound);
        if (!row.status().isCancelable()) {
            throw SubscriptionStatus.illegal("A " + row.status().wireName() + " subscription cannot be "
                    + (cancel ? "canceled" : "uncanceled") + ".");
        }
        if (row.cancelAtPeriodEnd() == cancel) {
            throw SubscriptionStatus.illegal(cancel ? "The subscription is already set to cancel at period end."
                    : "The subscription is not set to cancel at period end.");
        }
        Instant now = now(organizationId);
        repository.scheduleCancel(id, cancel, now, row.currentPeriodEnd());
        repository.event(organizationId, id, cancel ? "cancel_scheduled" : "cancel_unscheduled", row.status(),
                row.status(), now, Map.of("ends_at", row.currentPeriodEnd().toString()));
    }

    /** Polar's revoke: canceled now, access ends now. A canceled subscription cannot be revoked again. */
    @Transactional
    public void revoke(UUID organizationId, UUID id) {
        SubscriptionRow row = repository.lock(organizationId, id).orElseThrow(SubscriptionController::notFound);
        SubscriptionStatus next = row.status().transitionTo(SubscriptionStatus.CANCELED);
        Instant now = now(organizationId);
        repository.end(id, now, true);
        repository.event(organizationId, id, "status_changed", row.status(), next, now, Map.of("reason", "revoked"));
    }

    /**
     * Moves every subscription with something due by {@code now} forward, in the order things fell
     * due: a payment retry of a past-due subscription ({@link DunningSchedule}); a trial that ended
     * becomes active in its first paid period; a subscription set to cancel at period end, or left
     * unpaid when its retries ran out, is canceled at that end; any other starts its next period
     * (as many as have passed, each recorded), billed by a renewal order collected at once. Each
     * event happens at its own time, not at {@code now}. Returns how many subscriptions moved.
     * Safe to run twice or concurrently: due rows are locked and skipped by other sweeps, and an
     * order is unique per subscription period.
     */
    @Transactional
    public int renew(Instant now) {
        return renew(now, null);
    }

    /**
     * As {@link #renew(Instant)} for one organisation on a test clock ({@code testClockOrganization}),
     * or, when that is null, for every organisation on real time.
     */
    @Transactional
    public int renew(Instant now, UUID testClockOrganization) {
        int moved = 0;
        for (SubscriptionRow row : repository.lockDue(now, testClockOrganization, RENEWAL_BATCH)) {
            renewOne(row, now);
            audit.record(row.organizationId(), "subscription.renewed", "subscription", row.id(), state(row),
                    repository.state(row.id()));
            moved++;
        }
        return moved;
    }

    /** The columns a sweep moves, as the audit log shows them before and after. */
    private static Map<String, Object> state(SubscriptionRow row) {
        Map<String, Object> state = new java.util.LinkedHashMap<>();
        state.put("status", row.status().wireName());
        state.put("current_period_start", row.currentPeriodStart().toString());
        state.put("current_period_end", row.currentPeriodEnd().toString());
        state.put("product_id", row.productId().toString());
        return state;
    }

    /** How many subscriptions a {@link #renew} call handles at most, in one transaction. */
    public static int batchSize() {
        return RENEWAL_BATCH;
    }

    private void renewOne(SubscriptionRow row, Instant now) {
        UUID org = row.organizationId();
        SubscriptionStatus status = row.status();
        Dunning dunning = row.dunning();
        Instant periodStart = row.currentPeriodStart();
        Instant periodEnd = row.currentPeriodEnd();
        long index = row.periodIndex();
        Recurrence recurrence = row.recurrence();
        Instant anchor = row.billingAnchor();
        Instant usageStart = row.usageStart();
        boolean pendingChange = row.pendingProductId() != null;
        boolean inTrial = status == SubscriptionStatus.TRIALING;
        while (true) {
            Instant retryAt = dunning.nextAttemptAt();
            if (retryAt != null && !retryAt.isAfter(now) && !retryAt.isAfter(periodEnd)) {
                PaymentOutcomes.Payment outcome = retry(org, row.id(), status, dunning, retryAt);
                status = outcome.status();
                dunning = outcome.dunning();
                repository.payment(row.id(), status, dunning);
                continue;
            }
            if (periodEnd.isAfter(now)) {
                return;
            }
            if (status == SubscriptionStatus.UNPAID || row.cancelAtPeriodEnd()) {
                SubscriptionStatus next = status.transitionTo(SubscriptionStatus.CANCELED);
                repository.end(row.id(), periodEnd, false);
                repository.event(org, row.id(), "status_changed", status, next, periodEnd,
                        Map.of("reason", status == SubscriptionStatus.UNPAID ? "unpaid" : "canceled_at_period_end"));
                return;
            }
            boolean trialEnded = inTrial;
            if (inTrial) {
                SubscriptionStatus next = status.transitionTo(SubscriptionStatus.ACTIVE);
                repository.event(org, row.id(), "status_changed", status, next, periodEnd,
                        Map.of("reason", "trial_ended"));
                status = next;
                inTrial = false;
                index = 0;
            } else {
                index++;
            }
            // Usage is billed in arrears for the period that just ended (since a plan change, if one
            // came later), at the prices it was used under; a trial's usage is free.
            ServicePeriod used = trialEnded || !usageStart.isBefore(periodEnd) ? null
                    : new ServicePeriod(usageStart, periodEnd);
            List<Orders.Line> earlier = List.of();
            ServicePeriod period;
            if (pendingChange && !trialEnded) {
                PlanChanges.Applied applied = planChanges.applyPending(row, periodStart, periodEnd, index - 1);
                earlier = applied.usage();
                used = null;
                recurrence = applied.recurrence();
                anchor = applied.anchor();
                index = applied.index();
                period = applied.next();
                pendingChange = false;
            } else {
                period = recurrence.period(anchor, index);
            }
            repository.event(org, row.id(), "renewed", status, status, period.start(),
                    Map.of("period_start", period.start().toString(), "period_end", period.end().toString()));
            Orders.Billed billed = orders.billSubscription(org, row.id(), Orders.Reason.SUBSCRIPTION_CYCLE, period,
                    used, earlier, period.start());
            PaymentOutcomes.Payment outcome = outcomes.afterPayment(org, row.id(), status, dunning, billed, period.start());
            status = outcome.status();
            dunning = outcome.dunning();
            repository.advance(row.id(), status, index, period.start(), period.end(), dunning);
            periodStart = period.start();
            periodEnd = period.end();
            usageStart = periodStart;
        }
    }

    /**
     * One scheduled retry of the past-due order: paid makes the subscription active again; declined
     * schedules the next retry, or, when there is none left, makes it unpaid (access ends; it is
     * canceled when its period ends).
     */
    private PaymentOutcomes.Payment retry(UUID organizationId, UUID id, SubscriptionStatus status, Dunning dunning, Instant at) {
        Orders.Billed billed = orders.retry(organizationId, dunning.orderId(), at);
        int attempt = dunning.attempts() + 1;
        repository.event(organizationId, id, "payment_retried", status, status, at, PaymentOutcomes.detail(billed,
                billed.paid() ? "payment_succeeded" : "payment_failed", Map.of("attempt", attempt)));
        if (billed.paid()) {
            return new PaymentOutcomes.Payment(outcomes.transition(organizationId, id, status, SubscriptionStatus.ACTIVE, at,
                    "payment_succeeded", billed), Dunning.NONE);
        }
        Instant next = schedule.nextAttempt(attempt, at).orElse(null);
        orders.scheduleRetry(dunning.orderId(), next);
        Dunning failed = dunning.failedAgain(next);
        if (next != null) {
            return new PaymentOutcomes.Payment(status, failed);
        }
        return new PaymentOutcomes.Payment(outcomes.transition(organizationId, id, status, SubscriptionStatus.UNPAID, at,
                "retries_exhausted", billed), failed);
    }

    static ApiException notFound() {
        return SubscriptionController.notFound();
    }
}
