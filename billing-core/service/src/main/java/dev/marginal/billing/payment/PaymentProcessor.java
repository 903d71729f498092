package dev.marginal.billing.payment;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import dev.marginal.pricing.Money;
import tools.jackson.databind.JsonNode;

/**
 * The port to a card processor. A charge either succeeds, with the processor's fee, or is
 * declined with a reason; it never half-happens. The same goes for a refund of a charge. A
 * processor may later report a charge as disputed, and decides how a dispute ends. Adapters:
 * {@link SandboxProcessor}.
 */
public interface PaymentProcessor {

    /** Why the charge is made: a processor may treat a customer-present purchase and a renewal differently. */
    enum Trigger { PURCHASE, SUBSCRIPTION_CYCLE }

    record ChargeRequest(UUID customerId, JsonNode customerMetadata, Money amount, Trigger trigger) {
    }

    /**
     * @param reference the processor's id of the charge
     * @param fee       what the processor keeps; zero when declined
     * @param declineReason null when it succeeded
     */
    record Charge(String processor, String reference, boolean succeeded, Money fee, String declineReason) {
    }

    Charge charge(ChargeRequest request);

    /** Returns {@code amount} of a succeeded charge to the card it came from. */
    record RefundRequest(String chargeReference, Money amount, String reason) {
    }

    /** @param failureReason null when it succeeded */
    record Refund(String processor, String reference, boolean succeeded, String failureReason) {
    }

    Refund refund(RefundRequest request);

    /**
     * A chargeback the processor reports on a charge that succeeded.
     *
     * @param fee            the processor's dispute fee, kept whatever the outcome
     * @param responseWindow how long the merchant has to answer before the network decides
     */
    record DisputeNotice(String reference, String reason, Money fee, Duration responseWindow) {
    }

    /** The dispute the processor opens on this succeeded charge, if any (a real one reports it later, by webhook). */
    default Optional<DisputeNotice> disputeOf(ChargeRequest request, Charge charge) {
        return Optional.empty();
    }

    /** The network's decision on a dispute once its response window has closed. */
    enum DisputeDecision { WON, LOST }

    DisputeDecision decide(String disputeReference);

    /**
     * How long money the merchant receives stays pending before it can be paid out (Stripe's
     * {@code available_on}); money leaving the merchant leaves the available balance at once.
     */
    Duration availabilityDelay();
}
