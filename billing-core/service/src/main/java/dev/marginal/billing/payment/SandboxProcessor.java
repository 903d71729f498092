package dev.marginal.billing.payment;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.marginal.pricing.Money;
import tools.jackson.databind.JsonNode;

/**
 * A card processor's test mode, in process. The customer's metadata key {@code sandbox_card}
 * picks the card: absent or {@code ok} succeeds; {@code decline} is declined
 * ({@code card_declined}); {@code fail_later} succeeds for a purchase and is declined on every
 * renewal ({@code insufficient_funds}), like a card that worked at checkout and was emptied
 * since; {@code dispute_lost} and {@code dispute_won} succeed (the dispute that follows is
 * described in the README). Any other value is declined as {@code invalid_test_card}, so a typo
 * never passes as a good card.
 */
@Component
public class SandboxProcessor implements PaymentProcessor {

    public static final String NAME = "sandbox";
    public static final String CARD_KEY = "sandbox_card";

    @Override
    public Charge charge(ChargeRequest request) {
        String card = card(request.customerMetadata());
        String decline = switch (card) {
            case "ok", "dispute_lost", "dispute_won" -> null;
            case "decline" -> "card_declined";
            case "fail_later" -> request.trigger() == Trigger.SUBSCRIPTION_CYCLE ? "insufficient_funds" : null;
            default -> "invalid_test_card";
        };
        String reference = "ch_sandbox_" + UUID.randomUUID().toString().replace("-", "");
        if (decline != null) {
            return new Charge(NAME, reference, false, Money.zero(request.amount().currency()), decline);
        }
        return new Charge(NAME, reference, true, Fees.processorFee(request.amount()), null);
    }

    private static String card(JsonNode metadata) {
        JsonNode card = metadata == null ? null : metadata.get(CARD_KEY);
        return card == null || card.isNull() ? "ok" : card.asString();
    }
}
