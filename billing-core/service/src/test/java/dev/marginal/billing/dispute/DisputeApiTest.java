package dev.marginal.billing.dispute;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.marginal.billing.MoneyApiTest;
import tools.jackson.databind.JsonNode;

/**
 * Chargebacks from the sandbox's dispute cards: a $29.00 payment (merchant keeps 2,744¢) is
 * disputed at once; the $15.00 dispute fee is the processor's whatever happens; the network
 * decides when the 7-day response window closes, driven here by the clock.
 */
class DisputeApiTest extends MoneyApiTest {

    private static final Instant DUE = MARCH_1.plus(Duration.ofDays(7));

    @Autowired
    dev.marginal.billing.subscription.RenewalScheduler scheduler;

    @Autowired
    Disputes disputes;

    private JsonNode onlyDispute(Tenant tenant) {
        Reply reply = get("/v1/disputes/", tenant.bearer());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("items")).hasSize(1);
        return reply.json().get("items").get(0);
    }

    @Test
    void aLostDisputeTakesThePaymentAndTheFeeFromTheMerchant() {
        Tenant tenant = newTenant();
        JsonNode order = paidOrder(tenant, product(tenant, 2_900), "mallory", "dispute_lost");
        String customer = order.get("customer_id").stringValue();

        JsonNode dispute = onlyDispute(tenant);
        assertThat(dispute.get("status").stringValue()).isEqualTo("needs_response");
        assertThat(dispute.get("resolved").booleanValue()).isFalse();
        assertThat(dispute.get("closed").booleanValue()).isFalse();
        assertThat(dispute.get("amount").longValue()).isEqualTo(2_900);
        assertThat(dispute.get("tax_amount").longValue()).isZero();
        assertThat(dispute.get("currency").stringValue()).isEqualTo("usd");
        assertThat(dispute.get("reason").stringValue()).isEqualTo("fraudulent");
        assertThat(Instant.parse(dispute.get("evidence_due_by").stringValue())).isEqualTo(DUE);
        assertThat(dispute.get("past_due").booleanValue()).isFalse();
        assertThat(dispute.get("order_id").stringValue()).isEqualTo(order.get("id").stringValue());
        assertThat(dispute.get("payment_id").isNull()).isFalse();
        assertThat(dispute.get("customer").get("external_id").stringValue()).isEqualTo("mallory");
        assertThat(dispute.get("case_id").isNull()).isTrue();
        assertThat(rows(tenant, "dispute")).containsExactlyInAnyOrder("merchant:" + tenant.id() + " -2900",
                "customer:" + customer + " 2900");
        assertThat(rows(tenant, "dispute_fee")).containsExactlyInAnyOrder("merchant:" + tenant.id() + " -1500",
                "processor 1500");
        // 2,744 − 2,900 − 1,500
        assertThat(merchant(tenant)).isEqualTo(-1_656);

        // the bank already took the money back: a refund would pay it twice
        Reply refund = post("/v1/refunds/", tenant.bearer(), "{\"order_id\":\"" + order.get("id").stringValue()
                + "\",\"reason\":\"fraudulent\",\"amount\":2900}");
        problem(refund, 403, "refunds-blocked");
        assertThat(count("refunds", tenant)).isZero();

        clock.set(DUE.minusSeconds(1));
        disputes.resolveDue(clock.instant());
        assertThat(onlyDispute(tenant).get("status").stringValue()).as("still inside its window")
                .isEqualTo("needs_response");

        clock.set(DUE);
        disputes.resolveDue(clock.instant());
        JsonNode lost = get("/v1/disputes/" + dispute.get("id").stringValue(), tenant.bearer()).json();
        assertThat(lost.get("status").stringValue()).isEqualTo("lost");
        assertThat(lost.get("resolved").booleanValue()).isTrue();
        assertThat(lost.get("closed").booleanValue()).isTrue();
        assertThat(rows(tenant, "dispute_reversal")).isEmpty();
        assertThat(merchant(tenant)).isEqualTo(-1_656);
        assertLedgerInvariants(tenant);
    }

    @Test
    void aWonDisputeGivesThePaymentBackButNotTheFee() {
        Tenant tenant = newTenant();
        JsonNode order = paidOrder(tenant, product(tenant, 2_900), "trent", "dispute_won");
        String customer = order.get("customer_id").stringValue();

        clock.set(DUE);
        // the service's own sweep decides it (the schedule is off in tests: run its step by hand)
        assertThat(scheduler.resolveDisputes()).isGreaterThanOrEqualTo(1);

        assertThat(onlyDispute(tenant).get("status").stringValue()).isEqualTo("won");
        assertThat(rows(tenant, "dispute_reversal")).containsExactlyInAnyOrder("customer:" + customer + " -2900",
                "merchant:" + tenant.id() + " 2900");
        // 2,744 − 2,900 − 1,500 + 2,900: the fee is gone for good
        assertThat(merchant(tenant)).isEqualTo(1_244);
        // the reinstated 2,900 settles like any money arriving: pending for two days
        JsonNode balance = get("/v1/balance", tenant.bearer()).json();
        assertThat(balance.get("available").get(0).get("amount").longValue()).isEqualTo(-1_656);
        assertThat(balance.get("pending").get(0).get("amount").longValue()).isEqualTo(2_900);
        // resolving again finds nothing more to do
        disputes.resolveDue(clock.instant());
        assertThat(rows(tenant, "dispute_reversal")).hasSize(2);
        // once won, the payment is the merchant's again and can be refunded
        assertThat(post("/v1/refunds/", tenant.bearer(), "{\"order_id\":\"" + order.get("id").stringValue()
                + "\",\"reason\":\"other\",\"amount\":100}").status()).isEqualTo(201);
        assertLedgerInvariants(tenant);
    }

    @Test
    void acceptingConcedesTheDisputeAtOnce() {
        Tenant tenant = newTenant();
        Tenant other = newTenant();
        paidOrder(tenant, product(tenant, 2_900), "trent", "dispute_won");
        String id = onlyDispute(tenant).get("id").stringValue();

        problem(post("/v1/disputes/" + id + "/accept", other.bearer(), ""), 404, "not-found");
        problem(get("/v1/disputes/" + id, other.bearer()), 404, "not-found");
        assertThat(get("/v1/disputes/", other.bearer()).json().get("items")).isEmpty();

        Reply accepted = postWithKey("/v1/disputes/" + id + "/accept", tenant, "accept-1", "");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().get("status").stringValue()).isEqualTo("lost");
        Reply replay = postWithKey("/v1/disputes/" + id + "/accept", tenant, "accept-1", "");
        assertThat(replay.body()).isEqualTo(accepted.body());

        Reply again = post("/v1/disputes/" + id + "/accept", tenant.bearer(), "");
        problem(again, 409, "dispute-not-open");
        assertThat(again.json().get("error").stringValue()).isEqualTo("DisputeNotOpenError");
        // conceded: the network's later decision no longer applies
        clock.set(DUE);
        disputes.resolveDue(clock.instant());
        assertThat(onlyDispute(tenant).get("status").stringValue()).isEqualTo("lost");
        assertThat(rows(tenant, "dispute_reversal")).isEmpty();

        assertThat(get("/v1/disputes/?status=lost", tenant.bearer()).json().get("items")).hasSize(1);
        assertThat(get("/v1/disputes/?status=won", tenant.bearer()).json().get("items")).isEmpty();
        problem(get("/v1/disputes/?status=closed", tenant.bearer()), 422, "validation-error");
        problem(get("/v1/disputes/not-a-uuid", tenant.bearer()), 422, "validation-error");
        assertLedgerInvariants(tenant);
    }

    @Test
    void aGoodCardIsNeverDisputed() {
        Tenant tenant = newTenant();
        paidOrder(tenant, product(tenant, 2_900), "ada", "ok");
        assertThat(count("disputes", tenant)).isZero();
        assertThat(rows(tenant, "dispute")).isEmpty();
        assertThat(merchant(tenant)).isEqualTo(2_744);
    }

    @Test
    void theDisputeStateMachineRefusesWhatItDoesNotAllow() {
        assertThat(DisputeStatus.NEEDS_RESPONSE.transitionTo(DisputeStatus.WON)).isEqualTo(DisputeStatus.WON);
        assertThat(DisputeStatus.UNDER_REVIEW.transitionTo(DisputeStatus.LOST)).isEqualTo(DisputeStatus.LOST);
        for (DisputeStatus closed : new DisputeStatus[] {DisputeStatus.WON, DisputeStatus.LOST,
                DisputeStatus.PREVENTED}) {
            assertThat(closed.isClosed()).isTrue();
            for (DisputeStatus to : DisputeStatus.values()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> closed.transitionTo(to))
                        .hasMessageContaining("cannot become");
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> DisputeStatus.EARLY_WARNING.transitionTo(DisputeStatus.WON)).hasMessageContaining("cannot");
    }
}
