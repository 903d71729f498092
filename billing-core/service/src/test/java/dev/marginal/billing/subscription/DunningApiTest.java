package dev.marginal.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.marginal.billing.BillingApiTest;
import dev.marginal.billing.ledger.Ledger;
import tools.jackson.databind.JsonNode;

/**
 * Each test sells its own subscription; sweeps also move other tests' subscriptions (one database),
 * so a sweep's count is never asserted, only what happened to the test's own subscription.
 *
 * <p>Failed renewals, retried 3, 5 and 7 days after each failure, for Pro at $29 a month from 31
 * January: the renewal of 28 February is declined, retries fall on 3, 8 and 15 March, and the
 * period ends on 31 March.
 */
class DunningApiTest extends BillingApiTest {

    static final Instant JAN_31 = Instant.parse("2025-01-31T10:00:00Z");
    static final Instant FEB_28 = Instant.parse("2025-02-28T10:00:00Z");
    static final Instant MAR_3 = Instant.parse("2025-03-03T10:00:00Z");
    static final Instant MAR_8 = Instant.parse("2025-03-08T10:00:00Z");
    static final Instant MAR_15 = Instant.parse("2025-03-15T10:00:00Z");
    static final Instant MAR_31 = Instant.parse("2025-03-31T10:00:00Z");

    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(JAN_31);
        }
    }

    @Autowired
    MutableClock clock;

    @Autowired
    RenewalScheduler scheduler;

    @Autowired
    Ledger ledger;

    @BeforeEach
    void january() {
        clock.set(JAN_31);
    }

    private record Sold(Tenant tenant, String customerId, String subscriptionId) {
    }

    private Sold subscribe(String card) {
        Tenant tenant = newTenant();
        Reply product = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":2900}]}""");
        assertThat(product.status()).as(product.body()).isEqualTo(201);
        Reply customer = post("/v1/customers/", tenant.bearer(), "{\"email\":\"bob@example.com\",\"external_id\":\"bob\","
                + "\"metadata\":{\"sandbox_card\":\"" + card + "\"}}");
        assertThat(customer.status()).as(customer.body()).isEqualTo(201);
        Reply sub = post("/v1/subscriptions/", tenant.bearer(), "{\"product_id\":\""
                + product.json().get("id").stringValue() + "\",\"external_customer_id\":\"bob\"}");
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        return new Sold(tenant, customer.json().get("id").stringValue(), sub.json().get("id").stringValue());
    }

    private JsonNode subscription(Sold sold) {
        return get("/v1/subscriptions/" + sold.subscriptionId(), sold.tenant().bearer()).json();
    }

    private List<JsonNode> orders(Sold sold) {
        Reply reply = get("/v1/orders/?subscription_id=" + sold.subscriptionId() + "&sorting=created_at",
                sold.tenant().bearer());
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("items").forEach(items::add);
        return items;
    }

    private List<String> history(Sold sold) {
        return jdbc.sql("""
                        SELECT type || ':' || coalesce(from_status, 'null') || '->' || to_status || '@' || occurred_at::date
                        FROM subscription_events WHERE subscription_id = ? ORDER BY recorded_at, id""")
                .param(UUID.fromString(sold.subscriptionId())).query(String.class).list();
    }

    private int sweepAt(Instant at) {
        clock.set(at);
        return scheduler.sweep();
    }

    private void card(Sold sold, String card) {
        Reply reply = patch("/v1/customers/" + sold.customerId(), sold.tenant().bearer(),
                "{\"metadata\":{\"sandbox_card\":\"" + card + "\"}}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private long failedPayments(Sold sold) {
        return jdbc.sql("SELECT count(*) FROM payments WHERE organization_id = ? AND status = 'failed'")
                .param(sold.tenant().id()).query(Long.class).single();
    }

    @Test
    void aDeclinedRenewalIsPastDueWithItsFirstRetryThreeDaysLater() {
        Sold sold = subscribe("fail_later");
        sweepAt(FEB_28);

        JsonNode sub = subscription(sold);
        assertThat(sub.get("status").stringValue()).isEqualTo("past_due");
        assertThat(Instant.parse(sub.get("past_due_at").stringValue())).isEqualTo(FEB_28);
        JsonNode renewal = orders(sold).get(1);
        assertThat(renewal.get("status").stringValue()).isEqualTo("pending");
        assertThat(Instant.parse(renewal.get("next_payment_attempt_at").stringValue())).isEqualTo(MAR_3);
        // nothing is due a second before the retry
        sweepAt(MAR_3.minusSeconds(1));
        assertThat(failedPayments(sold)).isEqualTo(1);
        assertThat(subscription(sold).get("status").stringValue()).isEqualTo("past_due");
    }

    @Test
    void aFailedRetrySchedulesTheNextAfterFiveDays() {
        Sold sold = subscribe("fail_later");
        sweepAt(FEB_28);
        sweepAt(MAR_3);

        assertThat(subscription(sold).get("status").stringValue()).isEqualTo("past_due");
        assertThat(Instant.parse(orders(sold).get(1).get("next_payment_attempt_at").stringValue())).isEqualTo(MAR_8);
        assertThat(failedPayments(sold)).isEqualTo(2);
        assertThat(history(sold)).endsWith("status_changed:active->past_due@2025-02-28",
                "payment_retried:past_due->past_due@2025-03-03");
    }

    @Test
    void aRetryThatSucceedsMakesTheSubscriptionActiveAgain() {
        Sold sold = subscribe("fail_later");
        sweepAt(FEB_28);
        card(sold, "ok");   // the customer fixed their card
        sweepAt(MAR_8);   // the 3 March retry, run late, at its own time

        JsonNode sub = subscription(sold);
        assertThat(sub.get("status").stringValue()).isEqualTo("active");
        assertThat(sub.get("past_due_at").isNull()).isTrue();
        JsonNode renewal = orders(sold).get(1);
        assertThat(renewal.get("status").stringValue()).isEqualTo("paid");
        assertThat(renewal.get("next_payment_attempt_at").isNull()).isTrue();
        assertThat(history(sold)).endsWith("payment_retried:past_due->past_due@2025-03-03",
                "status_changed:past_due->active@2025-03-03");
        // both orders paid: 2 × (2,900 − 114 − 42) = 5,488
        assertThat(ledger.merchantBalance(sold.tenant().id(), "usd")).isEqualTo(5_488);
        // and it renews normally at the end of the period
        sweepAt(MAR_31);
        assertThat(orders(sold)).hasSize(3);
    }

    @Test
    void whenTheLastRetryFailsItIsUnpaidThenCanceledAtPeriodEnd() {
        Sold sold = subscribe("fail_later");
        sweepAt(FEB_28);
        sweepAt(MAR_15);   // retries of 3, 8 and 15 March, in order

        JsonNode sub = subscription(sold);
        assertThat(sub.get("status").stringValue()).isEqualTo("unpaid");
        assertThat(failedPayments(sold)).isEqualTo(4);
        assertThat(orders(sold).get(1).get("next_payment_attempt_at").isNull()).isTrue();
        assertThat(history(sold)).endsWith("payment_retried:past_due->past_due@2025-03-03",
                "payment_retried:past_due->past_due@2025-03-08", "payment_retried:past_due->past_due@2025-03-15",
                "status_changed:past_due->unpaid@2025-03-15");

        sweepAt(MAR_31.minusSeconds(1));
        assertThat(subscription(sold).get("status").stringValue()).isEqualTo("unpaid");
        sweepAt(MAR_31);
        sub = subscription(sold);
        assertThat(sub.get("status").stringValue()).isEqualTo("canceled");
        assertThat(Instant.parse(sub.get("ended_at").stringValue())).isEqualTo(MAR_31);
        assertThat(history(sold)).last().isEqualTo("status_changed:unpaid->canceled@2025-03-31");
        // no April order for a canceled subscription
        sweepAt(Instant.parse("2025-06-01T00:00:00Z"));
        assertThat(orders(sold)).hasSize(2);
    }

    @Test
    void aLongGapReplaysEveryRetryAndTheCancellationInOrder() {
        Sold sold = subscribe("fail_later");
        sweepAt(Instant.parse("2025-04-02T00:00:00Z"));

        assertThat(subscription(sold).get("status").stringValue()).isEqualTo("canceled");
        assertThat(history(sold)).containsExactly("created:null->active@2025-01-31",
                "renewed:active->active@2025-02-28", "status_changed:active->past_due@2025-02-28",
                "payment_retried:past_due->past_due@2025-03-03", "payment_retried:past_due->past_due@2025-03-08",
                "payment_retried:past_due->past_due@2025-03-15", "status_changed:past_due->unpaid@2025-03-15",
                "status_changed:unpaid->canceled@2025-03-31");
        assertThat(orders(sold)).hasSize(2);
    }

    @Test
    void aDeclinedFirstPaymentIsRetriedToo() {
        Sold sold = subscribe("decline");
        JsonNode sub = subscription(sold);
        assertThat(sub.get("status").stringValue()).isEqualTo("past_due");
        assertThat(Instant.parse(orders(sold).get(0).get("next_payment_attempt_at").stringValue()))
                .isEqualTo(Instant.parse("2025-02-03T10:00:00Z"));
        card(sold, "ok");
        sweepAt(Instant.parse("2025-02-03T10:00:00Z"));
        assertThat(subscription(sold).get("status").stringValue()).isEqualTo("active");
        assertThat(orders(sold).get(0).get("status").stringValue()).isEqualTo("paid");
    }

    @Test
    void revokingAPastDueSubscriptionStopsItsRetries() {
        Sold sold = subscribe("fail_later");
        sweepAt(FEB_28);
        Reply revoked = delete("/v1/subscriptions/" + sold.subscriptionId(), sold.tenant().bearer());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        sweepAt(MAR_15);
        assertThat(failedPayments(sold)).isEqualTo(1);
        assertThat(subscription(sold).get("status").stringValue()).isEqualTo("canceled");
    }

    @Test
    void twoSweepsAtOnceBillEachPeriodOnce() throws Exception {
        List<Sold> sold = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sold.add(subscribe("ok"));
        }
        clock.set(Instant.parse("2025-04-01T00:00:00Z"));   // two renewals due for each
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> sweep = scheduler::sweep;
            List<Future<Integer>> runs = pool.invokeAll(List.of(sweep, sweep));
            int moved = 0;
            for (Future<Integer> run : runs) {
                moved += run.get();
            }
            // other tests' subscriptions may be due too; ours are at least five
            assertThat(moved).isGreaterThanOrEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        for (Sold s : sold) {
            assertThat(orders(s)).hasSize(3);   // 31 Jan, 28 Feb, 31 Mar
        }
        assertThat(scheduler.sweep()).isZero();
    }
}
