package dev.marginal.billing.refund;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.http.Body;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.billing.ledger.ChargeReturns;
import dev.marginal.billing.ledger.Ledger;
import dev.marginal.billing.ledger.Movement;
import dev.marginal.billing.order.OrderStatus;
import dev.marginal.billing.payment.PaymentProcessor;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;
import dev.marginal.billing.problem.Violations;
import dev.marginal.pricing.Money;
import dev.marginal.pricing.refund.RefundSplit;
import tools.jackson.databind.JsonNode;

/**
 * The rules of a refund (Polar's): only a paid order, never more than its net minus what earlier
 * refunds returned, with the matching share of its tax ({@link RefundSplit}), through the
 * processor that charged it. The order's row lock makes concurrent refunds of one order take
 * turns, so two refunds can never both spend the same remainder.
 *
 * <p>Fees: the processor's fee and the platform fee of the payment are not returned (Stripe keeps
 * its fee on a refund, and so does a merchant of record); the merchant pays the whole refund.
 */
@Service
public class Refunds {

    private final RefundRepository repository;
    private final PaymentProcessor processor;
    private final Ledger ledger;
    private final BillingClock clock;

    public Refunds(RefundRepository repository, PaymentProcessor processor, Ledger ledger, BillingClock clock) {
        this.repository = repository;
        this.processor = processor;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Polar's {@code RefundCreate}, already validated field by field. */
    public record Create(UUID orderId, RefundReason reason, long amount, String comment, boolean revokeBenefits,
                         JsonNode metadata) {
    }

    @Transactional
    public UUID create(UUID organizationId, Create request) {
        Instant now = clock.now(organizationId).truncatedTo(ChronoUnit.MICROS);
        // Another organisation's order answers exactly like one that does not exist (Polar: 422 at order_id).
        RefundRepository.Refundable order = repository.lockOrder(organizationId, request.orderId())
                .orElseThrow(() -> invalidOrder("Order not found"));
        if (order.status() == OrderStatus.REFUNDED) {
            throw new ApiException(ProblemType.REFUNDED_ALREADY, "Order is already fully refunded: " + order.orderId());
        }
        if (!order.status().isPaid()) {
            throw invalidOrder("Order is not paid: there is nothing to refund");
        }
        if (request.revokeBenefits() && order.subscriptionId() != null) {
            throw new ApiException(ProblemType.REVOKE_BENEFITS_PROHIBITED,
                    "Subscription benefits can only be revoked upon cancellation; send revoke_benefits false.");
        }
        if (repository.hasUnwonDispute(order.orderId())) {
            throw new ApiException(ProblemType.REFUNDS_BLOCKED, "Refunds are blocked for order " + order.orderId()
                    + ": it is disputed, and the dispute takes the payment back.");
        }
        RefundRepository.PaidCharge charge = repository.succeededPayment(order.orderId())
                .orElseThrow(() -> new ApiException(ProblemType.REFUND_AMOUNT_TOO_HIGH,
                        "Order " + order.orderId() + " was free: there is nothing to refund."));
        RefundSplit split = split(order, request.amount());

        PaymentProcessor.Refund refund = processor.refund(new PaymentProcessor.RefundRequest(charge.reference(),
                split.total(), request.reason().wireName()));
        UUID id = Uuid7.generate();
        repository.insert(new RefundRepository.NewRefund(id, organizationId, order, charge.paymentId(),
                refund.succeeded() ? "succeeded" : "failed", request.reason(), split.amount().minorUnits(),
                split.tax().minorUnits(), request.comment(), request.revokeBenefits(), request.metadata(),
                refund.processor(), refund.reference(), refund.failureReason(), now));
        if (refund.succeeded()) {
            ledger.post(new Movement(organizationId, id, now, order.orderId(), charge.paymentId(),
                    ChargeReturns.toCustomer(Movement.Type.REFUND, organizationId, order.customerId(),
                            order.taxJurisdiction(), split.amount(), split.tax())));
            long refunded = order.refunded() + split.amount().minorUnits();
            repository.recordOnOrder(order.orderId(), refunded, order.refundedTax() + split.tax().minorUnits(),
                    order.status().afterRefund(order.net(), refunded), now);
        }
        return id;
    }

    private static RefundSplit split(RefundRepository.Refundable order, long amount) {
        java.util.Currency currency = Money.currency(order.currency());
        try {
            return RefundSplit.of(new Money(order.net(), currency), new Money(order.tax(), currency),
                    new Money(order.refunded(), currency), new Money(order.refundedTax(), currency),
                    new Money(amount, currency));
        } catch (RefundSplit.RefundExceedsPayment e) {
            throw new ApiException(ProblemType.REFUND_AMOUNT_TOO_HIGH, "Refund amount exceeds remaining order balance: "
                    + e.refundable().minorUnits() + " is left to refund on order " + order.orderId() + ".");
        }
    }

    private static ApiException invalidOrder(String message) {
        Violations violations = new Violations();
        violations.add(Body.loc("order_id"), message, "value_error");
        return new ApiException(ProblemType.VALIDATION_ERROR, "body.order_id: " + message, violations.errors());
    }

    static List<String> reasons() {
        return java.util.Arrays.stream(RefundReason.values()).filter(RefundReason::isClientAllowed)
                .map(RefundReason::wireName).toList();
    }
}
