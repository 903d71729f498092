package dev.marginal.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.marginal.pricing.Money;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class FeesTest {

    private static Money usd(long cents) {
        return Money.of(cents, "USD");
    }

    @Test
    void processorFeeIsTwoPointNinePercentPlusThirtyCentsRoundedHalfEven() {
        // 2,900 × 2.9 % = 84.1 → 84, + 30 = 114
        assertThat(Fees.processorFee(usd(2_900))).isEqualTo(usd(114));
        // 500 × 2.9 % = 14.5 → 14 (half-even), + 30 = 44
        assertThat(Fees.processorFee(usd(500))).isEqualTo(usd(44));
        // 1,500 × 2.9 % = 43.5 → 44 (half-even), + 30 = 74
        assertThat(Fees.processorFee(usd(1_500))).isEqualTo(usd(74));
    }

    @Test
    void platformFeeIsWhatTheAllInRateLeavesAfterTheProcessor() {
        // 10,000: all-in 400 + 40 = 440, processor 290 + 30 = 320, platform 120
        assertThat(Fees.platformFee(usd(10_000), Fees.processorFee(usd(10_000)))).isEqualTo(usd(120));
        // processor + platform is always the all-in 4 % + 40¢: 4,406 → 176 + 40 = 216
        Money processor = Fees.processorFee(usd(4_406));
        assertThat(processor.plus(Fees.platformFee(usd(4_406), processor))).isEqualTo(usd(216));
    }

    @Test
    void theSandboxCardDecidesTheOutcome() {
        SandboxProcessor sandbox = new SandboxProcessor();
        assertThat(charge(sandbox, null, PaymentProcessor.Trigger.PURCHASE).succeeded()).isTrue();
        assertThat(charge(sandbox, "ok", PaymentProcessor.Trigger.SUBSCRIPTION_CYCLE).fee()).isEqualTo(usd(114));
        PaymentProcessor.Charge declined = charge(sandbox, "decline", PaymentProcessor.Trigger.PURCHASE);
        assertThat(declined.succeeded()).isFalse();
        assertThat(declined.declineReason()).isEqualTo("card_declined");
        assertThat(declined.fee().isZero()).isTrue();
        assertThat(charge(sandbox, "fail_later", PaymentProcessor.Trigger.PURCHASE).succeeded()).isTrue();
        assertThat(charge(sandbox, "fail_later", PaymentProcessor.Trigger.SUBSCRIPTION_CYCLE).declineReason())
                .isEqualTo("insufficient_funds");
        assertThat(charge(sandbox, "dispute_lost", PaymentProcessor.Trigger.PURCHASE).succeeded()).isTrue();
        assertThat(charge(sandbox, "dispute_won", PaymentProcessor.Trigger.PURCHASE).succeeded()).isTrue();
        assertThat(charge(sandbox, "oK", PaymentProcessor.Trigger.PURCHASE).declineReason())
                .isEqualTo("invalid_test_card");
    }

    private static PaymentProcessor.Charge charge(SandboxProcessor sandbox, String card,
                                                  PaymentProcessor.Trigger trigger) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        if (card != null) {
            metadata.put(SandboxProcessor.CARD_KEY, card);
        }
        return sandbox.charge(new PaymentProcessor.ChargeRequest(java.util.UUID.randomUUID(), metadata, usd(2_900),
                trigger));
    }
}
