package dev.marginal.billing.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.marginal.billing.BillingApiTest;
import dev.marginal.billing.ledger.Accounts;
import dev.marginal.billing.ledger.Ledger;
import dev.marginal.billing.subscription.MutableClock;
import dev.marginal.billing.subscription.Subscriptions;
import tools.jackson.databind.JsonNode;

/** Ada's orders: Pro at $29 a month plus 0.01¢ per LLM token, from 31 January. */
class OrderApiTest extends BillingApiTest {

    static final Instant JAN_31 = Instant.parse("2025-01-31T10:00:00Z");
    static final Instant FEB_28 = Instant.parse("2025-02-28T10:00:00Z");

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
    Subscriptions subscriptions;

    @Autowired
    Ledger ledger;

    @BeforeEach
    void january() {
        clock.set(JAN_31);
    }

    private static final String TOKENS_METER = """
            {"name":"LLM tokens","filter":{"conjunction":"and","clauses":[
               {"property":"name","operator":"eq","value":"completion"}]},
             "aggregation":{"func":"sum","property":"metadata._llm.total_tokens"},"unit":"token"}""";

    private String proWithTokens(Tenant tenant) {
        String meter = post("/v1/meters/", tenant.bearer(), TOKENS_METER).json().get("id").stringValue();
        Reply product = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":2900},
                  {"amount_type":"metered_unit","meter_id":"%s","unit_amount":"0.01"}]}""".formatted(meter));
        assertThat(product.status()).as(product.body()).isEqualTo(201);
        return product.json().get("id").stringValue();
    }

    private String customer(Tenant tenant, String externalId, String card) {
        String metadata = card == null ? "{}" : "{\"sandbox_card\":\"" + card + "\"}";
        Reply reply = post("/v1/customers/", tenant.bearer(), "{\"email\":\"" + externalId
                + "@example.com\",\"external_id\":\"" + externalId + "\",\"metadata\":" + metadata + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    private JsonNode subscribe(Tenant tenant, String product, String externalCustomerId) {
        Reply reply = post("/v1/subscriptions/", tenant.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"" + externalCustomerId + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    private static String completion(String customer, String timestamp, long tokens) {
        return "{\"name\":\"completion\",\"external_customer_id\":\"" + customer + "\",\"timestamp\":\"" + timestamp
                + "\",\"metadata\":{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":" + tokens
                + ",\"output_tokens\":0,\"total_tokens\":" + tokens + "}}}";
    }

    private List<JsonNode> orders(Tenant tenant, String subscriptionId) {
        Reply reply = get("/v1/orders/?subscription_id=" + subscriptionId + "&sorting=created_at", tenant.bearer());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> items = new java.util.ArrayList<>();
        reply.json().get("items").forEach(items::add);
        return items;
    }

    private List<String> history(String subscriptionId) {
        return jdbc.sql("SELECT type || ':' || coalesce(from_status, 'null') || '->' || to_status FROM subscription_events"
                        + " WHERE subscription_id = ? ORDER BY recorded_at, id")
                .param(UUID.fromString(subscriptionId)).query(String.class).list();
    }

    @Test
    void subscribingOrdersAndCollectsTheFirstPeriodsFixedFee() {
        Tenant tenant = newTenant();
        String product = proWithTokens(tenant);
        customer(tenant, "ada", null);
        String sub = subscribe(tenant, product, "ada").get("id").stringValue();

        List<JsonNode> orders = orders(tenant, sub);
        assertThat(orders).hasSize(1);
        JsonNode order = orders.get(0);
        assertThat(order.get("billing_reason").stringValue()).isEqualTo("subscription_create");
        assertThat(order.get("status").stringValue()).isEqualTo("paid");
        assertThat(order.get("paid").booleanValue()).isTrue();
        // No usage has been billed yet: only the fixed fee, in advance for 31 Jan → 28 Feb.
        assertThat(order.get("subtotal_amount").longValue()).isEqualTo(2_900);
        assertThat(order.get("discount_amount").longValue()).isZero();
        assertThat(order.get("net_amount").longValue()).isEqualTo(2_900);
        assertThat(order.get("tax_amount").longValue()).isZero();
        assertThat(order.get("total_amount").longValue()).isEqualTo(2_900);
        assertThat(order.get("due_amount").longValue()).isZero();
        assertThat(order.get("currency").stringValue()).isEqualTo("usd");
        assertThat(order.get("items")).hasSize(1);
        JsonNode fixed = order.get("items").get(0);
        assertThat(fixed.get("label").stringValue()).isEqualTo("Pro");
        assertThat(fixed.get("amount").longValue()).isEqualTo(2_900);
        assertThat(fixed.get("proration").booleanValue()).isFalse();
        assertThat(Instant.parse(fixed.get("start_timestamp").stringValue())).isEqualTo(JAN_31);
        assertThat(Instant.parse(fixed.get("end_timestamp").stringValue())).isEqualTo(FEB_28);
        // all-in 4 % of 2,900 = 116 + 40 = 156; processor 2.9 % = 84.1 → 84 + 30 = 114; platform 156 − 114 = 42
        assertThat(order.get("platform_fee_amount").longValue()).isEqualTo(42);
        assertThat(order.get("customer").get("external_id").stringValue()).isEqualTo("ada");
        assertThat(order.get("subscription").get("id").stringValue()).isEqualTo(sub);
        assertThat(order.get("product").get("name").stringValue()).isEqualTo("Pro");

        Reply one = get("/v1/orders/" + order.get("id").stringValue(), tenant.bearer());
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("total_amount").longValue()).isEqualTo(2_900);
        // 2,900 − 114 − 42 = 2,744 is the merchant's
        assertThat(ledger.merchantBalance(tenant.id(), "usd")).isEqualTo(2_744);
    }

    @Test
    void renewalOrderBillsTheFixedFeeAndLastPeriodsUsage() {
        Tenant tenant = newTenant();
        String product = proWithTokens(tenant);
        customer(tenant, "ada", null);
        String sub = subscribe(tenant, product, "ada").get("id").stringValue();
        clock.set(Instant.parse("2025-03-01T00:00:00Z"));
        Reply ingest = post("/v1/events/ingest", tenant.bearer(), "{\"events\":[" + String.join(",",
                completion("ada", "2025-01-31T09:59:59Z", 999_999),   // before the period: not billed
                completion("ada", "2025-01-31T10:00:00Z", 120_000),   // the period's first second
                completion("ada", "2025-02-28T09:59:59Z", 30_551),    // its last second
                completion("ada", "2025-02-28T10:00:00Z", 777_777),   // the next period's: billed in March
                completion("grace", "2025-02-14T12:00:00Z", 50_000))  // another customer
                + "]}");
        assertThat(ingest.status()).as(ingest.body()).isEqualTo(200);

        assertThat(subscriptions.renew(clock.instant())).isEqualTo(1);

        List<JsonNode> orders = orders(tenant, sub);
        assertThat(orders).hasSize(2);
        JsonNode renewal = orders.get(1);
        assertThat(renewal.get("billing_reason").stringValue()).isEqualTo("subscription_cycle");
        assertThat(renewal.get("status").stringValue()).isEqualTo("paid");
        JsonNode fixed = renewal.get("items").get(0);
        JsonNode usage = renewal.get("items").get(1);
        // fixed fee in advance for 28 Feb → 31 Mar
        assertThat(fixed.get("amount").longValue()).isEqualTo(2_900);
        assertThat(Instant.parse(fixed.get("start_timestamp").stringValue())).isEqualTo(FEB_28);
        assertThat(Instant.parse(fixed.get("end_timestamp").stringValue()))
                .isEqualTo(Instant.parse("2025-03-31T10:00:00Z"));
        // usage in arrears for 31 Jan → 28 Feb: (120,000 + 30,551) × 0.01¢ = 1,505.51 → 1,506¢
        assertThat(usage.get("label").stringValue()).isEqualTo("Pro — LLM tokens");
        assertThat(usage.get("amount").longValue()).isEqualTo(1_506);
        assertThat(Instant.parse(usage.get("start_timestamp").stringValue())).isEqualTo(JAN_31);
        assertThat(Instant.parse(usage.get("end_timestamp").stringValue())).isEqualTo(FEB_28);
        // 2,900 + 1,506 = 4,406
        assertThat(renewal.get("subtotal_amount").longValue()).isEqualTo(4_406);
        assertThat(renewal.get("total_amount").longValue()).isEqualTo(4_406);
        // processor 2.9 % of 4,406 = 127.774 → 128 + 30 = 158; all-in 4 % = 176.24 → 176 + 40 = 216;
        // platform 216 − 158 = 58
        assertThat(renewal.get("platform_fee_amount").longValue()).isEqualTo(58);
        // merchant: (2,900 − 114 − 42) + (4,406 − 158 − 58) = 2,744 + 4,190 = 6,934
        assertThat(ledger.merchantBalance(tenant.id(), "usd")).isEqualTo(6_934);
    }

    @Test
    void declinedPaymentMovesTheSubscriptionToPastDue() {
        Tenant tenant = newTenant();
        String product = proWithTokens(tenant);
        customer(tenant, "bob", "decline");
        JsonNode created = subscribe(tenant, product, "bob");
        String sub = created.get("id").stringValue();

        assertThat(created.get("status").stringValue()).isEqualTo("past_due");
        JsonNode order = orders(tenant, sub).get(0);
        assertThat(order.get("status").stringValue()).isEqualTo("pending");
        assertThat(order.get("paid").booleanValue()).isFalse();
        assertThat(order.get("due_amount").longValue()).isEqualTo(2_900);
        assertThat(order.get("platform_fee_amount").longValue()).isZero();
        assertThat(history(sub)).containsExactly("created:null->active", "status_changed:active->past_due");
        assertThat(jdbc.sql("SELECT status || ':' || decline_reason FROM payments WHERE order_id = ?")
                .param(UUID.fromString(order.get("id").stringValue())).query(String.class).list())
                .containsExactly("failed:card_declined");
        assertThat(ledger.rows(tenant.id())).as("a declined charge moves no money").isEmpty();

        // Still declined on every retry (3, 8 and 15 February): unpaid, then canceled when the
        // period ends on 28 February, so no renewal order is ever made.
        clock.set(Instant.parse("2025-03-01T00:00:00Z"));
        subscriptions.renew(clock.instant());
        assertThat(orders(tenant, sub)).extracting(o -> o.get("status").stringValue()).containsExactly("pending");
        assertThat(history(sub)).containsExactly("created:null->active", "status_changed:active->past_due",
                "payment_retried:past_due->past_due", "payment_retried:past_due->past_due",
                "payment_retried:past_due->past_due", "status_changed:past_due->unpaid",
                "status_changed:unpaid->canceled");
        assertThat(get("/v1/subscriptions/" + sub, tenant.bearer()).json().get("status").stringValue())
                .isEqualTo("canceled");
    }

    @Test
    void aCardThatFailsLaterPaysTheFirstOrderAndDeclinesTheRenewal() {
        Tenant tenant = newTenant();
        String product = proWithTokens(tenant);
        customer(tenant, "cleo", "fail_later");
        String sub = subscribe(tenant, product, "cleo").get("id").stringValue();
        assertThat(get("/v1/subscriptions/" + sub, tenant.bearer()).json().get("status").stringValue())
                .isEqualTo("active");

        clock.set(Instant.parse("2025-03-01T00:00:00Z"));
        subscriptions.renew(clock.instant());

        assertThat(orders(tenant, sub)).extracting(o -> o.get("status").stringValue())
                .containsExactly("paid", "pending");
        assertThat(history(sub)).containsExactly("created:null->active", "renewed:active->active",
                "status_changed:active->past_due");
        JsonNode subscription = get("/v1/subscriptions/" + sub, tenant.bearer()).json();
        assertThat(subscription.get("status").stringValue()).isEqualTo("past_due");
        assertThat(Instant.parse(subscription.get("current_period_start").stringValue())).isEqualTo(FEB_28);
        // only the first order's movement: 2,900 − 114 − 42
        assertThat(ledger.merchantBalance(tenant.id(), "usd")).isEqualTo(2_744);
    }

    @Test
    void aPaidRetryBringsAPastDueSubscriptionBackToActive() {
        Tenant tenant = newTenant();
        String product = proWithTokens(tenant);
        String bob = customer(tenant, "bob", "decline");
        String sub = subscribe(tenant, product, "bob").get("id").stringValue();
        Reply newCard = patch("/v1/customers/" + bob, tenant.bearer(), "{\"metadata\":{\"sandbox_card\":\"ok\"}}");
        assertThat(newCard.status()).as(newCard.body()).isEqualTo(200);

        clock.set(Instant.parse("2025-03-01T00:00:00Z"));
        subscriptions.renew(clock.instant());

        // the first retry (3 February) pays the first order, then the 28 February renewal is paid too
        assertThat(orders(tenant, sub)).extracting(o -> o.get("status").stringValue())
                .containsExactly("paid", "paid");
        assertThat(history(sub)).containsExactly("created:null->active", "status_changed:active->past_due",
                "payment_retried:past_due->past_due", "status_changed:past_due->active", "renewed:active->active");
        assertThat(get("/v1/subscriptions/" + sub, tenant.bearer()).json().get("status").stringValue())
                .isEqualTo("active");
    }

    @Test
    void aTrialIsFreeAndItsFirstOrderComesWhenItEnds() {
        Tenant tenant = newTenant();
        String meter = post("/v1/meters/", tenant.bearer(), TOKENS_METER).json().get("id").stringValue();
        String product = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","trial_interval":"day","trial_interval_count":14,
                 "prices":[{"amount_type":"fixed","price_currency":"usd","price_amount":2900},
                           {"amount_type":"metered_unit","meter_id":"%s","unit_amount":"0.01"}]}"""
                .formatted(meter)).json().get("id").stringValue();
        customer(tenant, "ada", null);
        String sub = subscribe(tenant, product, "ada").get("id").stringValue();
        assertThat(orders(tenant, sub)).as("nothing to bill during a trial").isEmpty();

        clock.set(Instant.parse("2025-02-15T00:00:00Z"));
        post("/v1/events/ingest", tenant.bearer(), "{\"events\":[" + completion("ada", "2025-02-01T00:00:00Z", 50_000)
                + "]}");
        subscriptions.renew(clock.instant());

        // trial 31 Jan → 14 Feb 10:00; the first paid period runs to 14 Mar; the trial's usage is free
        List<JsonNode> orders = orders(tenant, sub);
        assertThat(orders).hasSize(1);
        assertThat(orders.get(0).get("billing_reason").stringValue()).isEqualTo("subscription_cycle");
        assertThat(orders.get(0).get("items")).hasSize(1);
        assertThat(orders.get(0).get("total_amount").longValue()).isEqualTo(2_900);
        assertThat(Instant.parse(orders.get(0).get("items").get(0).get("end_timestamp").stringValue()))
                .isEqualTo(Instant.parse("2025-03-14T10:00:00Z"));
    }

    @Test
    void everyLedgerMovementSumsToZero() {
        Tenant tenant = newTenant();
        String product = proWithTokens(tenant);
        customer(tenant, "ada", null);
        customer(tenant, "dora", "dispute_won");
        customer(tenant, "bob", "decline");
        String ada = subscribe(tenant, product, "ada").get("id").stringValue();
        subscribe(tenant, product, "dora");
        subscribe(tenant, product, "bob");
        clock.set(Instant.parse("2025-05-01T00:00:00Z"));
        subscriptions.renew(clock.instant());

        // Ada: created 31 Jan, renewed 28 Feb, 31 Mar, 30 Apr: four paid orders
        assertThat(orders(tenant, ada)).hasSize(4).allMatch(o -> o.get("paid").booleanValue());
        List<java.util.Map<String, Object>> rows = ledger.rows(tenant.id());
        assertThat(rows).isNotEmpty();
        java.util.Map<Object, Long> sums = new java.util.HashMap<>();
        rows.forEach(r -> sums.merge(r.get("correlation_key") + "/" + r.get("currency"),
                ((Number) r.get("amount")).longValue(), Long::sum));
        assertThat(sums.values()).allMatch(sum -> sum == 0);
        // Ada and Dora paid 8 orders of 2,900 (no usage); Bob none. Every charge on Dora's card is
        // disputed (still open: nothing resolved them), so her 4 × 2,900 went back to her.
        assertThat(ledger.balance(tenant.id(), Accounts.PROCESSOR, "usd")
                + ledger.balance(tenant.id(), Accounts.PLATFORM, "usd")
                + ledger.merchantBalance(tenant.id(), "usd")).isEqualTo(8 * 2_900 - 4 * 2_900);
        long paidTotals = jdbc.sql("SELECT sum(total_amount - platform_fee_amount) FROM orders WHERE organization_id = ?"
                + " AND status = 'paid'").param(tenant.id()).query(Long.class).single();
        long processorFees = jdbc.sql("SELECT sum(processor_fee_amount) FROM payments WHERE organization_id = ?"
                + " AND status = 'succeeded'").param(tenant.id()).query(Long.class).single();
        // and the merchant paid the 4 disputes and their $15.00 fees
        assertThat(ledger.merchantBalance(tenant.id(), "usd"))
                .isEqualTo(paidTotals - processorFees - 4 * 2_900 - 4 * 1_500);
    }

    @Test
    void anotherOrganizationsOrderIsNotFound() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();
        String product = proWithTokens(acme);
        customer(acme, "ada", null);
        String sub = subscribe(acme, product, "ada").get("id").stringValue();
        String order = orders(acme, sub).get(0).get("id").stringValue();

        Reply reply = get("/v1/orders/" + order, globex.bearer());
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(get("/v1/orders/", globex.bearer()).json().get("pagination").get("total_count").longValue())
                .isZero();
    }
}
