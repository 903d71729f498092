package dev.marginal.billing.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.MoneyApiTest;
import tools.jackson.databind.JsonNode;

/**
 * Paying a merchant out: two $29.00 payments leave 2 × 2,744¢ = 5,488¢ with the merchant, pending
 * for two days (the sandbox's settlement), then available; a payout never takes more than that.
 */
class PayoutApiTest extends MoneyApiTest {

    private JsonNode balance(Tenant tenant) {
        Reply reply = get("/v1/balance", tenant.bearer());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static long usd(JsonNode funds) {
        for (JsonNode f : funds) {
            if (f.get("currency").stringValue().equals("usd")) {
                return f.get("amount").longValue();
            }
        }
        return 0;
    }

    private Tenant merchantWithTwoPayments() {
        Tenant tenant = newTenant();
        String product = product(tenant, 2_900);
        paidOrder(tenant, product, "ada", null);
        paidOrder(tenant, product, "bea", null);
        return tenant;
    }

    @Test
    void moneyIsPendingUntilItSettlesThenAvailable() {
        Tenant tenant = merchantWithTwoPayments();
        assertThat(usd(balance(tenant).get("available"))).isZero();
        assertThat(usd(balance(tenant).get("pending"))).isEqualTo(5_488);
        problem(post("/v1/payouts/", tenant.bearer(), "{\"currency\":\"usd\",\"amount\":1}"), 400,
                "balance-insufficient");

        clock.advance(Duration.ofDays(2));
        assertThat(usd(balance(tenant).get("available"))).isEqualTo(5_488);
        assertThat(usd(balance(tenant).get("pending"))).isZero();
        assertLedgerInvariants(tenant);
    }

    @Test
    void aPayoutTakesNoMoreThanIsAvailable() {
        Tenant tenant = merchantWithTwoPayments();
        clock.advance(Duration.ofDays(2));
        long rowsBefore = count("transactions", tenant);

        Reply tooMuch = post("/v1/payouts/", tenant.bearer(), "{\"currency\":\"usd\",\"amount\":5489}");
        problem(tooMuch, 400, "balance-insufficient");
        assertThat(tooMuch.json().get("detail").stringValue()).contains("5488");
        assertThat(count("payouts", tenant)).isZero();
        assertThat(count("transactions", tenant)).isEqualTo(rowsBefore);

        Reply part = post("/v1/payouts/", tenant.bearer(), "{\"currency\":\"usd\",\"amount\":2000,"
                + "\"description\":\"March\"}");
        assertThat(part.status()).as(part.body()).isEqualTo(201);
        assertThat(part.json().get("amount").longValue()).isEqualTo(2_000);
        assertThat(part.json().get("status").stringValue()).isEqualTo("in_transit");
        assertThat(part.json().get("description").stringValue()).isEqualTo("March");
        // without an amount: the rest of what is available, 5,488 − 2,000
        Reply rest = post("/v1/payouts/", tenant.bearer(), "{\"currency\":\"usd\"}");
        assertThat(rest.status()).as(rest.body()).isEqualTo(201);
        assertThat(rest.json().get("amount").longValue()).isEqualTo(3_488);
        assertThat(usd(balance(tenant).get("available"))).isZero();
        assertThat(merchant(tenant)).isZero();
        assertThat(ledger.balance(tenant.id(), "bank:" + tenant.id(), "usd")).isEqualTo(5_488);
        assertThat(rows(tenant, "payout")).hasSize(4);
        problem(post("/v1/payouts/", tenant.bearer(), "{\"currency\":\"usd\"}"), 400, "balance-insufficient");

        clock.advance(Duration.ofDays(1));
        String id = part.json().get("id").stringValue();
        assertThat(get("/v1/payouts/" + id, tenant.bearer()).json().get("status").stringValue()).isEqualTo("paid");
        JsonNode list = get("/v1/payouts/?limit=1", tenant.bearer()).json();
        assertThat(list.get("pagination").get("total_count").longValue()).isEqualTo(2);
        assertThat(list.get("items").get(0).get("amount").longValue()).as("newest first").isEqualTo(3_488);
        assertLedgerInvariants(tenant);
    }

    @Test
    void aRefundLeavesTheAvailableBalanceAtOnce() {
        Tenant tenant = newTenant();
        JsonNode order = paidOrder(tenant, product(tenant, 2_900), "ada", null);
        clock.advance(Duration.ofDays(2));
        assertThat(post("/v1/refunds/", tenant.bearer(), "{\"order_id\":\"" + order.get("id").stringValue()
                + "\",\"reason\":\"duplicate\",\"amount\":1000}").status()).isEqualTo(201);

        // 2,744 − 1,000
        assertThat(usd(balance(tenant).get("available"))).isEqualTo(1_744);
        assertLedgerInvariants(tenant);
    }

    @Test
    void concurrentPayoutsNeverSpendTheSameBalanceTwice() throws Exception {
        Tenant tenant = merchantWithTwoPayments();
        clock.advance(Duration.ofDays(2));
        int n = 10;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Reply> replies = new ArrayList<>();
        try {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return post("/v1/payouts/", tenant.bearer(), "{\"currency\":\"usd\",\"amount\":2000}");
                }));
            }
            start.countDown();
            for (Future<Reply> f : futures) {
                replies.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        // 5,488 holds two payouts of 2,000
        assertThat(replies.stream().filter(r -> r.status() == 201)).hasSize(2);
        assertThat(replies.stream().filter(r -> r.status() == 400)).hasSize(n - 2);
        assertThat(usd(balance(tenant).get("available"))).isEqualTo(1_488);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE organization_id = ? AND action = 'payout.created'")
                .param(tenant.id()).query(Long.class).single()).as("the refused ones left no audit row").isEqualTo(2);
        assertLedgerInvariants(tenant);
    }

    @Test
    void aPayoutReplaysByItsIdempotencyKey() {
        Tenant tenant = merchantWithTwoPayments();
        clock.advance(Duration.ofDays(2));
        String body = "{\"currency\":\"usd\",\"amount\":1000}";
        Reply first = postWithKey("/v1/payouts/", tenant, "payout-1", body);
        Reply replay = postWithKey("/v1/payouts/", tenant, "payout-1", body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(count("payouts", tenant)).isEqualTo(1);
        problem(postWithKey("/v1/payouts/", tenant, "payout-1", "{\"currency\":\"usd\",\"amount\":999}"), 409,
                "idempotency-key-reused");
    }

    @Test
    void badInputIsA4xxAndOtherOrganizationsSeeNothing() {
        Tenant tenant = merchantWithTwoPayments();
        Tenant other = newTenant();
        clock.advance(Duration.ofDays(2));
        for (String body : List.of("{\"currency\":\"usd\",\"amount\":-5}", "{\"currency\":\"usd\",\"amount\":0}",
                "{\"currency\":\"usd\",\"amount\":\"10\"}", "{\"currency\":\"xyz\",\"amount\":10}",
                "{\"currency\":\"USD\",\"amount\":10}", "{\"amount\":10}")) {
            problem(post("/v1/payouts/", tenant.bearer(), body), 422, "validation-error");
        }
        problem(post("/v1/payouts/", tenant.bearer(), "{\"currency\":"), 400, "malformed-json");
        assertThat(count("payouts", tenant)).isZero();

        String id = post("/v1/payouts/", tenant.bearer(), "{\"currency\":\"usd\",\"amount\":10}").json().get("id")
                .stringValue();
        problem(get("/v1/payouts/" + id, other.bearer()), 404, "not-found");
        assertThat(get("/v1/payouts/", other.bearer()).json().get("items")).isEmpty();
        assertThat(balance(other).get("available")).isEmpty();
        // the other organisation has nothing to pay out
        problem(post("/v1/payouts/", other.bearer(), "{\"currency\":\"usd\"}"), 400, "balance-insufficient");
        assertLedgerInvariants(tenant);
    }
}
