package dev.marginal.billing.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

class IdempotencyKeyApiTest extends BillingApiTest {

    private Reply postWithKey(Tenant tenant, String key, String body) {
        return send(HttpRequest.newBuilder(uri("/v1/subscriptions/")).timeout(Duration.ofSeconds(30))
                .header("Authorization", tenant.bearer()).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String product(Tenant tenant) {
        Reply reply = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":2900}]}""");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    private void customer(Tenant tenant, String externalId) {
        assertThat(post("/v1/customers/", tenant.bearer(), "{\"email\":\"" + externalId + "@example.com\","
                + "\"external_id\":\"" + externalId + "\"}").status()).isEqualTo(201);
    }

    private static String subscription(String product, String customer) {
        return "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"" + customer + "\"}";
    }

    private long count(String table, Tenant tenant) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single();
    }

    @Test
    void aReplayReturnsTheFirstResponseAndSubscribesOnce() {
        Tenant tenant = newTenant();
        String product = product(tenant);
        customer(tenant, "ada");

        Reply first = postWithKey(tenant, "sub-ada-1", subscription(product, "ada"));
        // the same request, formatted differently, is the same request
        Reply replay = postWithKey(tenant, "sub-ada-1", subscription(product, "ada").replace(",", ", "));

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(replay.status()).as(replay.body()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(first.raw().headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(count("subscriptions", tenant)).isEqualTo(1);
        assertThat(count("orders", tenant)).isEqualTo(1);
        assertThat(count("payments", tenant)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherRequestIsAConflictAndWritesNothing() {
        Tenant tenant = newTenant();
        String product = product(tenant);
        customer(tenant, "ada");
        customer(tenant, "bob");
        assertThat(postWithKey(tenant, "k1", subscription(product, "ada")).status()).isEqualTo(201);

        Reply reused = postWithKey(tenant, "k1", subscription(product, "bob"));

        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.contentType()).startsWith("application/problem+json");
        assertThat(reused.json().get("type").stringValue())
                .isEqualTo("https://marginal.dev/problems/idempotency-key-reused");
        assertThat(count("subscriptions", tenant)).isEqualTo(1);
    }

    @Test
    void aFailedRequestDoesNotUseUpItsKey() {
        Tenant tenant = newTenant();
        String product = product(tenant);
        customer(tenant, "ada");

        Reply invalid = postWithKey(tenant, "k2", subscription(product, "nobody"));
        Reply corrected = postWithKey(tenant, "k2", subscription(product, "ada"));

        assertThat(invalid.status()).isEqualTo(422);
        assertThat(corrected.status()).as(corrected.body()).isEqualTo(201);
        assertThat(count("subscriptions", tenant)).isEqualTo(1);
    }

    @Test
    void keysBelongToTheirOrganization() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();
        String acmePro = product(acme);
        String globexPro = product(globex);
        customer(acme, "ada");
        customer(globex, "ada");

        assertThat(postWithKey(acme, "shared", subscription(acmePro, "ada")).status()).isEqualTo(201);
        assertThat(postWithKey(globex, "shared", subscription(globexPro, "ada")).status()).isEqualTo(201);
        assertThat(count("subscriptions", globex)).isEqualTo(1);
    }

    @Test
    void aBlankOrOversizedKeyIsABadRequest() {
        Tenant tenant = newTenant();
        String product = product(tenant);
        customer(tenant, "ada");
        assertThat(postWithKey(tenant, "x".repeat(256), subscription(product, "ada")).status()).isEqualTo(400);
        assertThat(count("subscriptions", tenant)).isZero();
    }

    @Test
    void concurrentDuplicatesHaveExactlyOneEffect() throws Exception {
        Tenant tenant = newTenant();
        String product = product(tenant);
        customer(tenant, "ada");
        String body = subscription(product, "ada");
        int requests = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        List<String> ids = new ArrayList<>();
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return postWithKey(tenant, "concurrent", body);
                }));
            }
            start.countDown();
            for (Future<Reply> reply : replies) {
                Reply r = reply.get();
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                ids.add(r.json().get("id").stringValue());
            }
            assertThat(ids).hasSize(requests).allMatch(ids.get(0)::equals);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("subscriptions", tenant)).isEqualTo(1);
        assertThat(count("orders", tenant)).isEqualTo(1);
        // one movement of the ledger: payment, processor fee and platform fee, two rows each
        assertThat(count("transactions", tenant)).isEqualTo(6);
        assertThat(jdbc.sql("SELECT id FROM subscriptions WHERE organization_id = ?").param(tenant.id())
                .query(UUID.class).single()).isEqualTo(UUID.fromString(ids.get(0)));
    }
}
