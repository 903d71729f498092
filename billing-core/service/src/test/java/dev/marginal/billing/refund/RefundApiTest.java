package dev.marginal.billing.refund;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.MoneyApiTest;
import tools.jackson.databind.JsonNode;

/** Ada pays $29.00 for Pro (processor 114¢, platform 42¢, merchant 2,744¢) and asks for her money back. */
class RefundApiTest extends MoneyApiTest {

    private static String refund(String orderId, long amount) {
        return "{\"order_id\":\"" + orderId + "\",\"reason\":\"customer_request\",\"amount\":" + amount + "}";
    }

    private JsonNode order(Tenant tenant, String orderId) {
        Reply reply = get("/v1/orders/" + orderId, tenant.bearer());
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void aFullRefundReturnsThePaymentAndTheMerchantKeepsPayingTheFees() {
        Tenant tenant = newTenant();
        JsonNode paid = paidOrder(tenant, product(tenant, 2_900), "ada", null);
        String orderId = paid.get("id").stringValue();
        assertThat(merchant(tenant)).isEqualTo(2_744);

        Reply reply = post("/v1/refunds/", tenant.bearer(), """
                {"order_id":"%s","reason":"customer_request","amount":2900,"comment":"asked by e-mail",
                 "metadata":{"ticket":"T-1"}}""".formatted(orderId));

        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        JsonNode refund = reply.json();
        assertThat(refund.get("status").stringValue()).isEqualTo("succeeded");
        assertThat(refund.get("reason").stringValue()).isEqualTo("customer_request");
        assertThat(refund.get("amount").longValue()).isEqualTo(2_900);
        assertThat(refund.get("tax_amount").longValue()).isZero();
        assertThat(refund.get("currency").stringValue()).isEqualTo("usd");
        assertThat(refund.get("order_id").stringValue()).isEqualTo(orderId);
        assertThat(refund.get("subscription_id").stringValue()).isEqualTo(paid.get("subscription_id").stringValue());
        assertThat(refund.get("customer_id").stringValue()).isEqualTo(paid.get("customer_id").stringValue());
        assertThat(refund.get("organization_id").stringValue()).isEqualTo(tenant.id().toString());
        assertThat(refund.get("revoke_benefits").booleanValue()).isFalse();
        assertThat(refund.get("metadata").get("ticket").stringValue()).isEqualTo("T-1");
        assertThat(refund.has("dispute")).isTrue();
        assertThat(refund.has("comment")).as("Polar keeps the comment internal").isFalse();

        JsonNode order = order(tenant, orderId);
        assertThat(order.get("status").stringValue()).isEqualTo("refunded");
        assertThat(order.get("paid").booleanValue()).isTrue();
        assertThat(order.get("refunded_amount").longValue()).isEqualTo(2_900);
        assertThat(order.get("refundable_amount").longValue()).isZero();
        // the merchant → customer movement; the 114¢ + 42¢ of fees stay with processor and platform
        assertThat(rows(tenant, "refund")).containsExactly("merchant:" + tenant.id() + " -2900",
                "customer:" + paid.get("customer_id").stringValue() + " 2900");
        // 2,744 − 2,900 = −156: the refund costs the merchant the fees
        assertThat(merchant(tenant)).isEqualTo(-156);
        assertLedgerInvariants(tenant);
    }

    @Test
    void refundNeverExceedsWhatWasPaid() {
        Tenant tenant = newTenant();
        String orderId = paidOrder(tenant, product(tenant, 2_900), "ada", null).get("id").stringValue();

        assertThat(post("/v1/refunds/", tenant.bearer(), refund(orderId, 1_000)).status()).isEqualTo(201);
        JsonNode partly = order(tenant, orderId);
        assertThat(partly.get("status").stringValue()).isEqualTo("partially_refunded");
        assertThat(partly.get("refundable_amount").longValue()).isEqualTo(1_900);
        long rowsBefore = count("transactions", tenant);

        Reply tooMuch = post("/v1/refunds/", tenant.bearer(), refund(orderId, 1_901));
        problem(tooMuch, 400, "refund-amount-too-high");
        assertThat(tooMuch.json().get("error").stringValue()).isEqualTo("RefundAmountTooHigh");
        assertThat(count("refunds", tenant)).isEqualTo(1);
        assertThat(count("transactions", tenant)).isEqualTo(rowsBefore);

        assertThat(post("/v1/refunds/", tenant.bearer(), refund(orderId, 1_900)).status()).isEqualTo(201);
        assertThat(order(tenant, orderId).get("status").stringValue()).isEqualTo("refunded");
        Reply again = post("/v1/refunds/", tenant.bearer(), refund(orderId, 1));
        problem(again, 403, "refunded-already");
        assertThat(again.json().get("error").stringValue()).isEqualTo("RefundedAlready");
        assertThat(count("refunds", tenant)).isEqualTo(2);
        // 2,744 − 1,000 − 1,900
        assertThat(merchant(tenant)).isEqualTo(-156);
        assertLedgerInvariants(tenant);
    }

    @Test
    void badInputIsA4xxProblemAndWritesNothing() {
        Tenant tenant = newTenant();
        Tenant other = newTenant();
        String orderId = paidOrder(tenant, product(tenant, 2_900), "ada", null).get("id").stringValue();
        String othersOrder = paidOrder(other, product(other, 2_900), "bob", null).get("id").stringValue();
        long rowsBefore = count("transactions", tenant);

        record Case(String body, int status, String slug, String loc) {
        }
        List<Case> cases = List.of(
                new Case(refund(orderId, -500), 422, "validation-error", "amount"),
                new Case(refund(orderId, 0), 422, "validation-error", "amount"),
                new Case(refund(orderId, 1).replace("1}", "10.5}"), 422, "validation-error", "amount"),
                new Case(refund(orderId, 1).replace("1}", "\"100\"}"), 422, "validation-error", "amount"),
                new Case(refund(orderId, 100).replace("customer_request", "because"), 422, "validation-error",
                        "reason"),
                new Case(refund(orderId, 100).replace("customer_request", "dispute_prevention"), 422,
                        "validation-error", "reason"),
                new Case("{\"reason\":\"other\",\"amount\":100}", 422, "validation-error", "order_id"),
                new Case(refund("not-a-uuid", 100), 422, "validation-error", "order_id"),
                new Case(refund("0196a000-0000-7000-8000-000000000000", 100), 422, "validation-error", "order_id"),
                // another organisation's order answers exactly like one that does not exist
                new Case(refund(othersOrder, 100), 422, "validation-error", "order_id"),
                new Case(refund(orderId, 100).replace("}", ",\"revoke_benefits\":true}"), 400,
                        "revoke-benefits-prohibited", null),
                new Case("[1,2]", 422, "validation-error", null),
                new Case("{\"order_id\":", 400, "malformed-json", null),
                new Case("{\"order_id\":\"" + orderId + "\",\"amount\":1,\"amount\":2}", 400, "malformed-json", null));
        for (Case c : cases) {
            Reply reply = post("/v1/refunds/", tenant.bearer(), c.body());
            problem(reply, c.status(), c.slug());
            if (c.loc() != null) {
                assertThat(reply.json().get("detail").get(0).get("loc").get(1).stringValue()).as(c.body())
                        .isEqualTo(c.loc());
            }
        }
        Reply unknown = post("/v1/refunds/", tenant.bearer(), refund("0196a000-0000-7000-8000-000000000000", 100));
        Reply foreign = post("/v1/refunds/", tenant.bearer(), refund(othersOrder, 100));
        assertThat(foreign.json().get("detail")).isEqualTo(unknown.json().get("detail"));

        assertThat(count("refunds", tenant)).isZero();
        assertThat(count("refunds", other)).isZero();
        assertThat(count("transactions", tenant)).isEqualTo(rowsBefore);
        assertThat(order(tenant, orderId).get("status").stringValue()).isEqualTo("paid");
        assertThat(count("idempotency_keys", tenant)).isZero();
        assertLedgerInvariants(tenant);
    }

    @Test
    void anUnpaidOrderHasNothingToRefund() {
        Tenant tenant = newTenant();
        String product = product(tenant, 2_900);
        customer(tenant, "bob", "decline");
        assertThat(post("/v1/subscriptions/", tenant.bearer(), "{\"product_id\":\"" + product
                + "\",\"external_customer_id\":\"bob\"}").status()).isEqualTo(201);
        String orderId = get("/v1/orders/", tenant.bearer()).json().get("items").get(0).get("id").stringValue();

        Reply reply = post("/v1/refunds/", tenant.bearer(), refund(orderId, 100));

        problem(reply, 422, "validation-error");
        assertThat(reply.json().get("detail").get(0).get("msg").stringValue()).contains("not paid");
        assertThat(count("refunds", tenant)).isZero();
    }

    @Test
    void fiftyParallelIdenticalRequestsWithOneKeyMakeOneRefund() throws Exception {
        Tenant tenant = newTenant();
        String orderId = paidOrder(tenant, product(tenant, 2_900), "ada", null).get("id").stringValue();
        List<Reply> replies = parallel(50, () -> postWithKey("/v1/refunds/", tenant, "refund-ada-1",
                refund(orderId, 1_000)));

        Set<String> bodies = new HashSet<>();
        for (Reply reply : replies) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            bodies.add(reply.body());
        }
        assertThat(bodies).as("every reply is the first one's").hasSize(1);
        assertThat(replies.stream().filter(r -> r.raw().headers().firstValue("Idempotent-Replayed").isPresent()))
                .hasSize(49);
        assertThat(count("refunds", tenant)).isEqualTo(1);
        assertThat(rows(tenant, "refund")).hasSize(2);
        assertThat(order(tenant, orderId).get("refunded_amount").longValue()).isEqualTo(1_000);
        // one effect, one audit row: replays are not mutations
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE organization_id = ? AND action = 'refund.created'")
                .param(tenant.id()).query(Long.class).single()).isEqualTo(1);
        assertLedgerInvariants(tenant);
    }

    @Test
    void concurrentRefundsWithoutKeysNeverSpendTheSameRemainderTwice() throws Exception {
        Tenant tenant = newTenant();
        String orderId = paidOrder(tenant, product(tenant, 2_900), "ada", null).get("id").stringValue();
        List<Reply> replies = parallel(20, () -> post("/v1/refunds/", tenant.bearer(), refund(orderId, 1_000)));

        // 2,900 holds two refunds of 1,000; the other 18 find only 900 left
        assertThat(replies.stream().filter(r -> r.status() == 201)).hasSize(2);
        assertThat(replies.stream().filter(r -> r.status() == 400)).hasSize(18);
        assertThat(order(tenant, orderId).get("refunded_amount").longValue()).isEqualTo(2_000);
        assertThat(count("refunds", tenant)).isEqualTo(2);
        assertLedgerInvariants(tenant);
    }

    @Test
    void theSameKeyWithAnotherRefundIsAConflict() {
        Tenant tenant = newTenant();
        String orderId = paidOrder(tenant, product(tenant, 2_900), "ada", null).get("id").stringValue();
        assertThat(postWithKey("/v1/refunds/", tenant, "k", refund(orderId, 100)).status()).isEqualTo(201);

        problem(postWithKey("/v1/refunds/", tenant, "k", refund(orderId, 200)), 409, "idempotency-key-reused");

        assertThat(count("refunds", tenant)).isEqualTo(1);
        assertThat(order(tenant, orderId).get("refunded_amount").longValue()).isEqualTo(100);
    }

    @Test
    void listsFilterPageAndSeeOnlyTheirOrganization() {
        Tenant tenant = newTenant();
        Tenant other = newTenant();
        String product = product(tenant, 2_900);
        JsonNode ada = paidOrder(tenant, product, "ada", null);
        JsonNode bea = paidOrder(tenant, product, "bea", null);
        assertThat(post("/v1/refunds/", tenant.bearer(), refund(ada.get("id").stringValue(), 500)).status())
                .isEqualTo(201);
        assertThat(post("/v1/refunds/", tenant.bearer(), refund(bea.get("id").stringValue(), 700)).status())
                .isEqualTo(201);

        JsonNode all = get("/v1/refunds/?sorting=amount", tenant.bearer()).json();
        assertThat(all.get("pagination").get("total_count").longValue()).isEqualTo(2);
        assertThat(all.get("items").get(0).get("amount").longValue()).isEqualTo(500);
        assertThat(get("/v1/refunds/?sorting=-amount", tenant.bearer()).json().get("items").get(0).get("amount")
                .longValue()).isEqualTo(700);
        assertThat(get("/v1/refunds/?order_id=" + ada.get("id").stringValue(), tenant.bearer()).json().get("items"))
                .hasSize(1);
        assertThat(get("/v1/refunds/?customer_id=" + bea.get("customer_id").stringValue(), tenant.bearer()).json()
                .get("items").get(0).get("amount").longValue()).isEqualTo(700);
        assertThat(get("/v1/refunds/?external_customer_id=ada", tenant.bearer()).json().get("items").get(0)
                .get("amount").longValue()).isEqualTo(500);
        assertThat(get("/v1/refunds/?succeeded=true&subscription_id=" + ada.get("subscription_id").stringValue(),
                tenant.bearer()).json().get("items")).hasSize(1);
        JsonNode page = get("/v1/refunds/?limit=1&page=2", tenant.bearer()).json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("pagination").get("max_page").longValue()).isEqualTo(2);
        problem(get("/v1/refunds/?sorting=reason", tenant.bearer()), 422, "validation-error");
        problem(get("/v1/refunds/?order_id=nope", tenant.bearer()), 422, "validation-error");

        JsonNode theirs = get("/v1/refunds/?order_id=" + ada.get("id").stringValue(), other.bearer()).json();
        assertThat(theirs.get("items")).isEmpty();
        assertThat(get("/v1/refunds/", other.bearer()).json().get("pagination").get("total_count").longValue())
                .isZero();
    }

    private static List<Reply> parallel(int n, java.util.concurrent.Callable<Reply> request) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
