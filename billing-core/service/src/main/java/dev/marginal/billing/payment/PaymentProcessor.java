package dev.marginal.billing.payment;

import java.util.UUID;

import dev.marginal.pricing.Money;
import tools.jackson.databind.JsonNode;

/**
 * The port to a card processor. A charge either succeeds, with the processor's fee, or is
 * declined with a reason; it never half-happens. Adapters: {@link SandboxProcessor}.
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
}
