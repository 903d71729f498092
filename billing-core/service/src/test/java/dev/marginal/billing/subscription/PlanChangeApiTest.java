package dev.marginal.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.marginal.billing.BillingApiTest;
import dev.marginal.billing.order.PendingInvoiceItems;
import tools.jackson.databind.JsonNode;

/**
 * Upgrades and downgrades through Polar's {@code PATCH /v1/subscriptions/{id}}. Grace subscribes to
 * Basic ($29.00 a month) on 1 April 2025; April has 30 days (2,592,000 s), so a change on 16 April
 * at midnight leaves exactly half of the period: every figure below is half a price, to the cent.
 */
class PlanChangeApiTest extends BillingApiTest {

    static final Instant APR_1 = Instant.parse("2025-04-01T00:00:00Z");
    static final Instant APR_16 = Instant.parse("2025-04-16T00:00:00Z");
    static final Instant MAY_1 = Instant.parse("2025-05-01T00:00:00Z");
    static final Instant JUN_1 = Instant.parse("2025-06-01T00:00:00Z");

    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(APR_1);
        }
    }

    @Autowired
    MutableClock clock;

    @Autowired
    RenewalScheduler scheduler;

    @Autowired
    PendingInvoiceItems pending;

    @BeforeEach
    void april() {
        clock.set(APR_1);
    }

    private record Shop(Tenant tenant, String basic, String team, String annual) {
    }

    private Shop shop() {
        Tenant tenant = newTenant();
        return new Shop(tenant, product(tenant, "Basic", "month", 2900, "usd"), product(tenant, "Team", "month", 9900, "usd"),
                product(tenant, "Annual", "year", 29000, "usd"));
    }

    private String product(Tenant tenant, String name, String interval, long amount, String currency) {
        Reply reply = post("/v1/products/", tenant.bearer(), """
                {"name":"%s","recurring_interval":"%s","prices":[
                  {"amount_type":"fixed","price_currency":"%s","price_amount":%d}]}"""
                .formatted(name, interval, currency, amount));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    private String subscribe(Shop shop, String product, String customerJson) {
        String external = "grace-" + UUID.randomUUID().toString().substring(0, 8);
        Reply customer = post("/v1/customers/", shop.tenant().bearer(), "{\"email\":\"" + external
                + "@example.com\",\"external_id\":\"" + external + "\"" + customerJson + "}");
        assertThat(customer.status()).as(customer.body()).isEqualTo(201);
        Reply sub = post("/v1/subscriptions/", shop.tenant().bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"" + external + "\"}");
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        return sub.json().get("id").stringValue();
    }

    private String subscribe(Shop shop, String product) {
        return subscribe(shop, product, "");
    }

    private Reply change(Shop shop, String subscription, String product, String behavior) {
        return patch("/v1/subscriptions/" + subscription, shop.tenant().bearer(), "{\"product_id\":\"" + product + "\""
                + (behavior == null ? "" : ",\"proration_behavior\":\"" + behavior + "\"") + "}");
    }

    private List<JsonNode> orders(Shop shop, String subscription) {
        Reply reply = get("/v1/orders/?subscription_id=" + subscription + "&sorting=created_at&limit=100",
                shop.tenant().bearer());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("items").forEach(items::add);
        return items;
    }

    private static List<Long> itemAmounts(JsonNode order) {
        List<Long> amounts = new ArrayList<>();
        order.get("items").forEach(item -> amounts.add(item.get("amount").longValue()));
        return amounts;
    }

    private long payments(String order) {
        return jdbc.sql("SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = ? AND status = 'succeeded'")
                .param(UUID.fromString(order)).query(Long.class).single();
    }

    private void sweepAt(Instant at) {
        clock.set(at);
        scheduler.sweep();
    }

    private Reply changeWithKey(Shop shop, String subscription, String key, String body) {
        return send(java.net.http.HttpRequest.newBuilder(uri("/v1/subscriptions/" + subscription))
                .header("Authorization", shop.tenant().bearer()).header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aRetriedInvoicedUpgradeWithOneIdempotencyKeyBillsOnce() {
        Shop shop = shop();
        String sub = subscribe(shop, shop.basic());
        clock.set(APR_16);
        String body = "{\"product_id\":\"" + shop.team() + "\",\"proration_behavior\":\"invoice\"}";

        Reply first = changeWithKey(shop, sub, "upgrade-grace-1", body);
        Reply retry = changeWithKey(shop, sub, "upgrade-grace-1", body);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(retry.json()).isEqualTo(first.json());
        List<JsonNode> orders = orders(shop, sub);
        assertThat(orders).as("the creation and one update").hasSize(2);
        // credit −1,450 + charge 4,950 = 3,500, collected once
        assertThat(orders.get(1).get("total_amount").longValue()).isEqualTo(3500);
        assertThat(payments(orders.get(1).get("id").stringValue())).isEqualTo(3500);
        // the same key for another request is refused and changes nothing
        Reply other = changeWithKey(shop, sub, "upgrade-grace-1", "{\"cancel_at_period_end\":true}");
        assertThat(other.status()).as(other.body()).isEqualTo(409);
        assertThat(other.json().get("error").stringValue()).isEqualTo("IdempotencyKeyReused");
        assertThat(get("/v1/subscriptions/" + sub, shop.tenant().bearer()).json().get("cancel_at_period_end")
                .booleanValue()).isFalse();
        assertThat(orders(shop, sub)).hasSize(2);
    }

    @Test
    void anInvoicedUpgradeChargesTheDifferenceForTheRestOfThePeriodNow() {
        Shop shop = shop();
        String sub = subscribe(shop, shop.basic());
        clock.set(APR_16);

        Reply reply = change(shop, sub, shop.team(), "invoice");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("product_id").stringValue()).isEqualTo(shop.team());
        assertThat(reply.json().get("amount").longValue()).isEqualTo(9900);
        assertThat(reply.json().get("status").stringValue()).isEqualTo("active");
        // the period does not move: same interval, same anchor
        assertThat(reply.json().get("current_period_end").stringValue()).isEqualTo("2025-05-01T00:00:00Z");
        assertThat(reply.json().get("prices").findValuesAsString("id")).hasSize(1);
        List<JsonNode> orders = orders(shop, sub);
        assertThat(orders).hasSize(2);
        JsonNode update = orders.get(1);
        assertThat(update.get("billing_reason").stringValue()).isEqualTo("subscription_update");
        // credit −2,900 × ½ = −1,450; charge 9,900 × ½ = 4,950; total 3,500
        assertThat(itemAmounts(update)).containsExactly(-1450L, 4950L);
        assertThat(update.get("items").get(0).get("proration").booleanValue()).isTrue();
        assertThat(update.get("items").get(0).get("label").stringValue()).isEqualTo("Unused time on Basic after 2025-04-16");
        assertThat(update.get("items").get(1).get("start_timestamp").stringValue()).isEqualTo("2025-04-16T00:00:00Z");
        assertThat(update.get("subtotal_amount").longValue()).isEqualTo(3500);
        assertThat(update.get("total_amount").longValue()).isEqualTo(3500);
        assertThat(update.get("status").stringValue()).isEqualTo("paid");
        assertThat(update.get("product_id").stringValue()).isEqualTo(shop.team());
        assertThat(payments(update.get("id").stringValue())).isEqualTo(3500);

        sweepAt(MAY_1);
        List<JsonNode> after = orders(shop, sub);
        assertThat(after).hasSize(3);
        // nothing of the change is billed twice: May is the Team price alone
        assertThat(itemAmounts(after.get(2))).containsExactly(9900L);
        assertThat(after.get(2).get("total_amount").longValue()).isEqualTo(9900);
    }

    @Test
    void aProratedUpgradeWaitsForTheNextRenewalOrder() {
        Shop shop = shop();
        String sub = subscribe(shop, shop.basic());
        clock.set(APR_16);

        Reply reply = change(shop, sub, shop.team(), "prorate");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(orders(shop, sub)).hasSize(1);
        assertThat(pending.openAmount(UUID.fromString(sub))).isEqualTo(3500);

        sweepAt(MAY_1);
        List<JsonNode> orders = orders(shop, sub);
        assertThat(orders).hasSize(2);
        JsonNode may = orders.get(1);
        assertThat(may.get("billing_reason").stringValue()).isEqualTo("subscription_cycle");
        // 9,900 for May + (−1,450 + 4,950) for the second half of April = 13,400
        assertThat(itemAmounts(may)).containsExactly(9900L, -1450L, 4950L);
        assertThat(may.get("total_amount").longValue()).isEqualTo(13400);
        assertThat(payments(may.get("id").stringValue())).isEqualTo(13400);
        assertThat(pending.openAmount(UUID.fromString(sub))).isZero();
    }

    @Test
    void theDefaultBehaviourIsPolarsProrate() {
        Shop shop = shop();
        String sub = subscribe(shop, shop.basic());
        clock.set(APR_16);
        assertThat(change(shop, sub, shop.team(), null).status()).isEqualTo(200);
        assertThat(orders(shop, sub)).hasSize(1);
        assertThat(pending.openAmount(UUID.fromString(sub))).isEqualTo(3500);
    }

    @Test
    void aDowngradesCreditIsNeverPaidOutItIsSpentOnTheNextOrders() {
        Shop shop = shop();
        String sub = subscribe(shop, shop.team());
        clock.set(APR_16);

        Reply reply = change(shop, sub, shop.basic(), "invoice");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode update = orders(shop, sub).get(1);
        // credit −9,900 × ½ = −4,950 against a charge of 2,900 × ½ = 1,450: −1,450 billed now, −3,500 carried
        assertThat(itemAmounts(update)).containsExactly(-1450L, 1450L);
        assertThat(update.get("total_amount").longValue()).isZero();
        assertThat(update.get("status").stringValue()).isEqualTo("paid");
        assertThat(payments(update.get("id").stringValue())).isZero();
        assertThat(pending.openAmount(UUID.fromString(sub))).isEqualTo(-3500);

        sweepAt(MAY_1);
        JsonNode may = orders(shop, sub).get(2);
        // 2,900 for May, −2,900 of the credit; −600 left
        assertThat(itemAmounts(may)).containsExactly(2900L, -2900L);
        assertThat(may.get("total_amount").longValue()).isZero();
        assertThat(pending.openAmount(UUID.fromString(sub))).isEqualTo(-600);

        sweepAt(JUN_1);
        JsonNode june = orders(shop, sub).get(3);
        assertThat(itemAmounts(june)).containsExactly(2900L, -600L);
        assertThat(june.get("total_amount").longValue()).isEqualTo(2300);
        assertThat(payments(june.get("id").stringValue())).isEqualTo(2300);
        // every cent of the 3,500 credit landed once: 2,900 + 600
        assertThat(pending.openAmount(UUID.fromString(sub))).isZero();
    }

    @Test
    void nextPeriodKeepsThePeriodOnTheOldPriceAndSwitchesAtRenewal() {
        Shop shop = shop();
        String sub = subscribe(shop, shop.basic());
        clock.set(APR_16);

        Reply reply = change(shop, sub, shop.team(), "next_period");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("product_id").stringValue()).isEqualTo(shop.basic());
        JsonNode pendingUpdate = reply.json().get("pending_update");
        assertThat(pendingUpdate.get("product_id").stringValue()).isEqualTo(shop.team());
        assertThat(pendingUpdate.get("applies_at").stringValue()).isEqualTo("2025-05-01T00:00:00Z");
        assertThat(orders(shop, sub)).hasSize(1);
        assertThat(pending.openAmount(UUID.fromString(sub))).isZero();

        sweepAt(MAY_1);
        JsonNode after = get("/v1/subscriptions/" + sub, shop.tenant().bearer()).json();
        assertThat(after.get("product_id").stringValue()).isEqualTo(shop.team());
        assertThat(after.get("amount").longValue()).isEqualTo(9900);
        assertThat(after.get("pending_update").isNull()).isTrue();
        assertThat(after.get("current_period_start").stringValue()).isEqualTo("2025-05-01T00:00:00Z");
        JsonNode may = orders(shop, sub).get(1);
        assertThat(itemAmounts(may)).containsExactly(9900L);
        assertThat(may.get("product_id").stringValue()).isEqualTo(shop.team());
    }

    @Test
    void aNewIntervalResetsTheCycleAndIsInvoicedEvenWhenAskedToProrate() {
        Shop shop = shop();
        String sub = subscribe(shop, shop.basic());
        clock.set(APR_16);

        Reply reply = change(shop, sub, shop.annual(), "prorate");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("recurring_interval").stringValue()).isEqualTo("year");
        assertThat(reply.json().get("current_period_start").stringValue()).isEqualTo("2025-04-16T00:00:00Z");
        assertThat(reply.json().get("current_period_end").stringValue()).isEqualTo("2026-04-16T00:00:00Z");
        JsonNode update = orders(shop, sub).get(1);
        // credit −1,450 for the unused half of April, a full year of 29,000 from 16 April: 27,550
        assertThat(itemAmounts(update)).containsExactly(-1450L, 29000L);
        assertThat(update.get("total_amount").longValue()).isEqualTo(27550);
        assertThat(update.get("items").get(1).get("end_timestamp").stringValue()).isEqualTo("2026-04-16T00:00:00Z");

        sweepAt(MAY_1);
        assertThat(orders(shop, sub)).hasSize(2);
    }

    @Test
    void theUpdateOrderIsTaxedLikeAnyOther() {
        Shop shop = shop();
        String sub = subscribe(shop, shop.basic(), ",\"billing_address\":{\"country\":\"DE\"}");
        clock.set(APR_16);

        assertThat(change(shop, sub, shop.team(), "invoice").status()).isEqualTo(200);

        JsonNode update = orders(shop, sub).get(1);
        // The organisation's default tax_behavior, location, is inclusive where VAT is levied. German VAT 19 %
        // per line: −1,450 / 1.19 = −1,218.49 → net −1,218, tax −232; 4,950 / 1.19 = 4,159.66 → net 4,160, tax 790.
        assertThat(update.get("tax_treatment").stringValue()).isEqualTo("standard");
        assertThat(update.get("tax_amount").longValue()).isEqualTo(-232 + 790);
        assertThat(update.get("net_amount").longValue()).isEqualTo(-1218 + 4160);
        assertThat(update.get("total_amount").longValue()).isEqualTo(3500);
        assertThat(payments(update.get("id").stringValue())).isEqualTo(3500);
    }

    @Test
    void aDeclinedUpdateOrderMakesTheSubscriptionPastDue() {
        Shop shop = shop();
        // fail_later: the first charge succeeds, every later off-session one is declined
        String sub = subscribe(shop, shop.basic(), ",\"metadata\":{\"sandbox_card\":\"fail_later\"}");
        clock.set(APR_16);

        Reply reply = change(shop, sub, shop.team(), "invoice");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("status").stringValue()).isEqualTo("past_due");
        JsonNode update = orders(shop, sub).get(1);
        assertThat(update.get("status").stringValue()).isEqualTo("pending");
        assertThat(update.get("next_payment_attempt_at").stringValue()).isEqualTo("2025-04-19T00:00:00Z");
        // and a past-due subscription may not change again until it has paid
        Reply again = change(shop, sub, shop.basic(), "invoice");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/illegal-transition");
    }

    @Test
    void aTrialChangesProductWithoutMoney() {
        Shop shop = shop();
        Reply trialProduct = post("/v1/products/", shop.tenant().bearer(), """
                {"name":"Trial Basic","recurring_interval":"month","trial_interval":"day","trial_interval_count":14,
                 "prices":[{"amount_type":"fixed","price_currency":"usd","price_amount":2900}]}""");
        assertThat(trialProduct.status()).as(trialProduct.body()).isEqualTo(201);
        String sub = subscribe(shop, trialProduct.json().get("id").stringValue());
        clock.set(APR_16.minusSeconds(86_400 * 10));

        Reply reply = change(shop, sub, shop.team(), "invoice");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("status").stringValue()).isEqualTo("trialing");
        assertThat(reply.json().get("amount").longValue()).isEqualTo(9900);
        assertThat(orders(shop, sub)).isEmpty();
        assertThat(pending.openAmount(UUID.fromString(sub))).isZero();
        // the first paid period, when the trial ends on 15 April, is Team's
        sweepAt(Instant.parse("2025-04-15T00:00:00Z"));
        assertThat(itemAmounts(orders(shop, sub).get(0))).containsExactly(9900L);
    }

    @Test
    void aPlanChangeNeverSwitchesCurrencyOrProductOwnerAndWritesNothingWhenRefused() {
        Shop shop = shop();
        String euro = product(shop.tenant(), "Euro Team", "month", 9900, "eur");
        String sub = subscribe(shop, shop.basic());
        Tenant other = newTenant();
        String foreign = product(other, "Foreign", "month", 100, "usd");
        clock.set(APR_16);

        Reply currency = change(shop, sub, euro, "invoice");
        assertThat(currency.status()).isEqualTo(422);
        assertThat(currency.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"product_id\"]");
        assertThat(currency.json().get("detail").get(0).get("msg").stringValue()).contains("no price in usd");
        assertThat(change(shop, sub, foreign, "invoice").status()).isEqualTo(422);
        assertThat(change(shop, sub, shop.basic(), "invoice").status()).isEqualTo(422);
        Reply behavior = change(shop, sub, shop.team(), "always_invoice");
        assertThat(behavior.status()).isEqualTo(422);
        assertThat(behavior.json().get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"proration_behavior\"]");
        Reply both = patch("/v1/subscriptions/" + sub, shop.tenant().bearer(),
                "{\"product_id\":\"" + shop.team() + "\",\"cancel_at_period_end\":true}");
        assertThat(both.status()).isEqualTo(422);

        assertThat(orders(shop, sub)).hasSize(1);
        JsonNode unchanged = get("/v1/subscriptions/" + sub, shop.tenant().bearer()).json();
        assertThat(unchanged.get("product_id").stringValue()).isEqualTo(shop.basic());
        assertThat(jdbc.sql("SELECT count(*) FROM subscription_events WHERE subscription_id = ?")
                .param(UUID.fromString(sub)).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aCanceledSubscriptionCannotChangeProduct() {
        Shop shop = shop();
        String sub = subscribe(shop, shop.basic());
        assertThat(delete("/v1/subscriptions/" + sub, shop.tenant().bearer()).status()).isEqualTo(200);
        Reply reply = change(shop, sub, shop.team(), "invoice");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("detail").stringValue()).contains("canceled");
    }
}
