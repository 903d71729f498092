package dev.marginal.billing.payment;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.marginal.pricing.Money;
import tools.jackson.databind.JsonNode;

/**
 * A card processor's test mode, in process. The customer's metadata key {@code sandbox_card}
 * picks the card: absent or {@code ok} succeeds; {@code decline} is declined
 * ({@code card_declined}); {@code fail_later} succeeds for a purchase and is declined on every
 * renewal ({@code insufficient_funds}), like a card that worked at checkout and was emptied
 * since; {@code dispute_lost} and {@code dispute_won} succeed and are disputed at once (as
 * Stripe's test cards for disputes are), and the network later decides the dispute the way the
 * card says. Any other value is declined as {@code invalid_test_card}, so a typo never passes as
 * a good card. Refunds always succeed.
 */
@Component
public class SandboxProcessor implements PaymentProcessor {

    public static final String NAME = "sandbox";
    public static final String CARD_KEY = "sandbox_card";
    /** Stripe's dispute fee in the US, $15.00; the sandbox charges 1,500 minor units in any currency. */
    public static final long DISPUTE_FEE = 1_500;
    /** The time a merchant has to answer a dispute before the sandbox's network decides it. */
    public static final Duration RESPONSE_WINDOW = Duration.ofDays(7);
    /** Stripe's standard US payout schedule makes a charge's funds available two days later. */
    public static final Duration AVAILABILITY_DELAY = Duration.ofDays(2);

    private static final String DISPUTE_PREFIX = "dp_sandbox_";

    @Override
    public Charge charge(ChargeRequest request) {
        String card = card(request.customerMetadata());
        String decline = switch (card) {
            case "ok", "dispute_lost", "dispute_won" -> null;
            case "decline" -> "card_declined";
            case "fail_later" -> request.trigger() == Trigger.SUBSCRIPTION_CYCLE ? "insufficient_funds" : null;
            default -> "invalid_test_card";
        };
        String reference = "ch_sandbox_" + hex();
        if (decline != null) {
            return new Charge(NAME, reference, false, Money.zero(request.amount().currency()), decline);
        }
        return new Charge(NAME, reference, true, Fees.processorFee(request.amount()), null);
    }

    @Override
    public Refund refund(RefundRequest request) {
        return new Refund(NAME, "re_sandbox_" + hex(), true, null);
    }

    /**
     * The decision is the card's, written into the dispute's reference the way a test-mode id
     * carries its scenario, so it does not depend on the customer's metadata changing later.
     */
    @Override
    public Optional<DisputeNotice> disputeOf(ChargeRequest request, Charge charge) {
        if (!charge.succeeded()) {
            return Optional.empty();
        }
        String outcome = switch (card(request.customerMetadata())) {
            case "dispute_lost" -> "lost";
            case "dispute_won" -> "won";
            default -> null;
        };
        if (outcome == null) {
            return Optional.empty();
        }
        return Optional.of(new DisputeNotice(DISPUTE_PREFIX + outcome + "_" + hex(), "fraudulent",
                new Money(DISPUTE_FEE, request.amount().currency()), RESPONSE_WINDOW));
    }

    @Override
    public DisputeDecision decide(String disputeReference) {
        if (disputeReference.startsWith(DISPUTE_PREFIX + "won_")) {
            return DisputeDecision.WON;
        }
        if (disputeReference.startsWith(DISPUTE_PREFIX + "lost_")) {
            return DisputeDecision.LOST;
        }
        throw new IllegalArgumentException("not a sandbox dispute: " + disputeReference);
    }

    @Override
    public Duration availabilityDelay() {
        return AVAILABILITY_DELAY;
    }

    private static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String card(JsonNode metadata) {
        JsonNode card = metadata == null ? null : metadata.get(CARD_KEY);
        return card == null || card.isNull() ? "ok" : card.asString();
    }
}
