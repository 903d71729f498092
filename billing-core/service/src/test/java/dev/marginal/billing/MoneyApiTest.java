package dev.marginal.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import dev.marginal.billing.ledger.Accounts;
import dev.marginal.billing.ledger.Ledger;
import dev.marginal.billing.payout.Balances;
import dev.marginal.billing.subscription.MutableClock;
import tools.jackson.databind.JsonNode;

/**
 * Money moving after a payment — refunds, disputes, payouts — on the real service and database,
 * with a clock the tests move. Every test ends by checking the ledger's invariants for its tenant.
 */
@Import(MoneyApiTest.TestClock.class)
public abstract class MoneyApiTest extends BillingApiTest {

    protected static final Instant MARCH_1 = Instant.parse("2025-03-01T10:00:00Z");

    @TestConfiguration
    public static class TestClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(MARCH_1);
        }
    }

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected Ledger ledger;

    @Autowired
    protected Balances balances;

    @BeforeEach
    void march() {
        clock.set(MARCH_1);
    }

    /** A monthly product at {@code cents} (USD), no trial: subscribing to it is paid at once. */
    protected String product(Tenant tenant, long cents) {
        Reply reply = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":%d}]}""".formatted(cents));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    protected String customer(Tenant tenant, String externalId, String card) {
        String metadata = card == null ? "{}" : "{\"sandbox_card\":\"" + card + "\"}";
        Reply reply = post("/v1/customers/", tenant.bearer(), "{\"email\":\"" + externalId
                + "@example.com\",\"external_id\":\"" + externalId + "\",\"metadata\":" + metadata + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    /** Subscribes a new customer paying with {@code card} and returns the subscription's first order. */
    protected JsonNode paidOrder(Tenant tenant, String product, String externalId, String card) {
        customer(tenant, externalId, card);
        Reply sub = post("/v1/subscriptions/", tenant.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"" + externalId + "\"}");
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        Reply orders = get("/v1/orders/?subscription_id=" + sub.json().get("id").stringValue(), tenant.bearer());
        JsonNode order = orders.json().get("items").get(0);
        assertThat(order.get("status").stringValue()).isEqualTo("paid");
        return order;
    }

    protected Reply postWithKey(String path, Tenant tenant, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", tenant.bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return send(request.build());
    }

    protected long count(String table, Tenant tenant) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single();
    }

    protected long merchant(Tenant tenant) {
        return ledger.merchantBalance(tenant.id(), "usd");
    }

    protected List<String> rows(Tenant tenant, String type) {
        return jdbc.sql("SELECT account || ' ' || amount FROM transactions WHERE organization_id = ? AND type = ?"
                        + " ORDER BY recorded_at, amount").param(tenant.id()).param(type).query(String.class).list();
    }

    protected static void problem(Reply reply, int status, String slug) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/" + slug);
    }

    /**
     * The ledger's invariants for one organisation: every movement sums to zero in each currency;
     * the merchant's balance is the sum of its rows and equals available + pending; no order has
     * more refunded than its net, and each order's refunded totals are the sum of its refunds.
     */
    protected void assertLedgerInvariants(Tenant tenant) {
        long unbalanced = jdbc.sql("""
                        SELECT count(*) FROM (SELECT correlation_key, currency FROM transactions
                                              WHERE organization_id = ? GROUP BY correlation_key, currency
                                              HAVING sum(amount) <> 0) u""")
                .param(tenant.id()).query(Long.class).single();
        assertThat(unbalanced).as("unbalanced movements").isZero();
        long sumOfRows = jdbc.sql("SELECT coalesce(sum(amount), 0) FROM transactions WHERE organization_id = ?"
                        + " AND account = ? AND currency = 'usd'").param(tenant.id())
                .param(Accounts.merchant(tenant.id())).query(Long.class).single();
        assertThat(merchant(tenant)).isEqualTo(sumOfRows);
        long figures = balances.of(tenant.id(), clock.instant()).stream().filter(f -> f.currency().equals("usd"))
                .mapToLong(f -> f.available() + f.pending()).sum();
        assertThat(figures).as("available + pending").isEqualTo(sumOfRows);
        long overRefunded = jdbc.sql("""
                        SELECT count(*) FROM orders o WHERE o.organization_id = ? AND (o.refunded_amount > o.net_amount
                           OR o.refunded_amount <> (SELECT coalesce(sum(r.amount), 0) FROM refunds r
                                                    WHERE r.order_id = o.id AND r.status = 'succeeded')
                           OR o.refunded_tax_amount <> (SELECT coalesce(sum(r.tax_amount), 0) FROM refunds r
                                                        WHERE r.order_id = o.id AND r.status = 'succeeded'))""")
                .param(tenant.id()).query(Long.class).single();
        assertThat(overRefunded).as("orders whose refunds disagree with them").isZero();
        long refundRowsDisagree = jdbc.sql("""
                        SELECT count(*) FROM refunds r WHERE r.organization_id = ? AND r.status = 'succeeded'
                          AND (SELECT coalesce(sum(t.amount), 0) FROM transactions t WHERE t.correlation_key = r.id
                               AND t.type = 'refund' AND t.account LIKE 'customer:%') <> r.amount + r.tax_amount""")
                .param(tenant.id()).query(Long.class).single();
        assertThat(refundRowsDisagree).as("refunds whose ledger movement differs").isZero();
    }

    protected static UUID id(JsonNode node) {
        return UUID.fromString(node.get("id").stringValue());
    }
}
