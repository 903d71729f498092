package dev.marginal.billing.subscription;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.marginal.billing.order.Orders;

/**
 * What an order's payment does to its subscription, the same for a creation, a renewal and a plan
 * change's order: a declined one makes the subscription {@code past_due} and starts its retries
 * (dunning), a paid one brings a {@code past_due} subscription back to {@code active}. Each
 * transition is recorded in {@code subscription_events}.
 */
@Component
class PaymentOutcomes {

    private final SubscriptionRepository repository;
    private final Orders orders;
    private final DunningSchedule schedule;

    PaymentOutcomes(SubscriptionRepository repository, Orders orders, DunningSchedule schedule) {
        this.repository = repository;
        this.orders = orders;
        this.schedule = schedule;
    }

    /** A payment's consequence for the subscription: its status and its dunning state. */
    record Payment(SubscriptionStatus status, Dunning dunning) {
    }

    /**
     * While one order is being retried, a later declined order stays pending beside it: the
     * retries keep collecting the first.
     */
    Payment afterPayment(UUID organizationId, UUID id, SubscriptionStatus status, Dunning dunning,
                         Orders.Billed billed, Instant at) {
        if (!billed.paid()) {
            if (status == SubscriptionStatus.PAST_DUE) {
                return new Payment(status, dunning);
            }
            Dunning started = Dunning.started(billed.orderId(), at, schedule.nextAttempt(1, at).orElseThrow());
            orders.scheduleRetry(billed.orderId(), started.nextAttemptAt());
            return new Payment(transition(organizationId, id, status, SubscriptionStatus.PAST_DUE, at,
                    "payment_failed", billed), started);
        }
        if (status == SubscriptionStatus.PAST_DUE) {
            return new Payment(transition(organizationId, id, status, SubscriptionStatus.ACTIVE, at,
                    "payment_succeeded", billed), Dunning.NONE);
        }
        return new Payment(status, dunning);
    }

    SubscriptionStatus transition(UUID organizationId, UUID id, SubscriptionStatus from, SubscriptionStatus to,
                                  Instant at, String reason, Orders.Billed billed) {
        SubscriptionStatus next = from.transitionTo(to);
        repository.event(organizationId, id, "status_changed", from, next, at, detail(billed, reason, Map.of()));
        return next;
    }

    static Map<String, Object> detail(Orders.Billed billed, String reason, Map<String, Object> more) {
        Map<String, Object> detail = new LinkedHashMap<>(more);
        detail.put("reason", reason);
        detail.put("order_id", billed.orderId().toString());
        if (billed.declineReason() != null) {
            detail.put("decline_reason", billed.declineReason());
        }
        return detail;
    }
}
