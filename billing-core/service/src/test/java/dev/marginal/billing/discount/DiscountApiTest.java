package dev.marginal.billing.discount;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.marginal.billing.BillingApiTest;
import dev.marginal.billing.subscription.MutableClock;
import dev.marginal.billing.subscription.RenewalScheduler;
import tools.jackson.databind.JsonNode;

/** Pro at $29 / €29 a month from 31 January, sold with Polar discounts. */
class DiscountApiTest extends BillingApiTest {

    static final Instant JAN_31 = Instant.parse("2025-01-31T10:00:00Z");

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

    @BeforeEach
    void january() {
        clock.set(JAN_31);
    }

    private String product(Tenant tenant, String currency) {
        Reply reply = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"%s","price_amount":2900,"tax_behavior":"exclusive"}]}"""
                .formatted(currency));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    private void customer(Tenant tenant, String externalId, String country) {
        Reply reply = post("/v1/customers/", tenant.bearer(), "{\"email\":\"" + externalId + "@example.com\","
                + "\"external_id\":\"" + externalId + "\",\"billing_address\":{\"country\":\"" + country + "\"}}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    private String discount(Tenant tenant, String body) {
        Reply reply = post("/v1/discounts/", tenant.bearer(), body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    private Reply subscribe(Tenant tenant, String product, String customer, String discount) {
        return post("/v1/subscriptions/", tenant.bearer(), "{\"product_id\":\"" + product
                + "\",\"external_customer_id\":\"" + customer + "\",\"discount_id\":\"" + discount + "\"}");
    }

    private List<JsonNode> orders(Tenant tenant, String subscriptionId) {
        Reply reply = get("/v1/orders/?subscription_id=" + subscriptionId + "&sorting=created_at", tenant.bearer());
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("items").forEach(items::add);
        return items;
    }

    private static void assertTotals(JsonNode order, long subtotal, long discount, long net, long tax, long total) {
        assertThat(List.of(order.get("subtotal_amount").longValue(), order.get("discount_amount").longValue(),
                order.get("net_amount").longValue(), order.get("tax_amount").longValue(),
                order.get("total_amount").longValue())).containsExactly(subtotal, discount, net, tax, total);
    }

    @Test
    void aRepeatingPercentageDiscountIsTakenBeforeTaxForItsMonths() {
        Tenant tenant = newTenant();
        String product = product(tenant, "eur");
        customer(tenant, "lena", "DE");
        String discount = discount(tenant, """
                {"name":"Launch","type":"percentage","basis_points":2500,"duration":"repeating","duration_in_months":2}""");
        Reply sub = subscribe(tenant, product, "lena", discount);
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        assertThat(sub.json().get("discount_id").stringValue()).isEqualTo(discount);
        String id = sub.json().get("id").stringValue();

        clock.set(Instant.parse("2025-04-01T00:00:00Z"));
        scheduler.sweep();
        List<JsonNode> orders = orders(tenant, id);
        assertThat(orders).hasSize(3);
        // 25 % of 2,900 = 725 off; 19 % German VAT on 2,175 = 413.25 → 413; total 2,588
        assertTotals(orders.get(0), 2_900, 725, 2_175, 413, 2_588);
        assertThat(orders.get(0).get("discount_id").stringValue()).isEqualTo(discount);
        assertThat(orders.get(0).get("items").get(0).get("discount_amount").longValue()).isEqualTo(725);
        // 28 February starts within two months of 31 January: still discounted
        assertTotals(orders.get(1), 2_900, 725, 2_175, 413, 2_588);
        // 31 March does not: full price, 19 % of 2,900 = 551
        assertTotals(orders.get(2), 2_900, 0, 2_900, 551, 3_451);
        assertThat(orders.get(2).get("discount_id").isNull()).isTrue();
        assertThat(get("/v1/discounts/" + discount, tenant.bearer()).json().get("redemptions_count").longValue())
                .isEqualTo(1);
    }

    @Test
    void aFixedOnceDiscountTakesItsAmountFromTheFirstOrderOnly() {
        Tenant tenant = newTenant();
        String product = product(tenant, "usd");
        customer(tenant, "kenji", "JP");
        String discount = discount(tenant, """
                {"name":"Ten off","type":"fixed","amounts":{"usd":1000,"eur":900},"duration":"once"}""");
        String id = subscribe(tenant, product, "kenji", discount).json().get("id").stringValue();
        clock.set(Instant.parse("2025-03-01T00:00:00Z"));
        scheduler.sweep();
        List<JsonNode> orders = orders(tenant, id);
        assertTotals(orders.get(0), 2_900, 1_000, 1_900, 0, 1_900);
        assertTotals(orders.get(1), 2_900, 0, 2_900, 0, 2_900);
    }

    @Test
    void badDiscountsAre422AndWriteNothing() {
        Tenant tenant = newTenant();
        for (String body : List.of(
                "{\"name\":\"Zero\",\"type\":\"percentage\",\"basis_points\":0,\"duration\":\"once\"}",
                "{\"name\":\"Too much\",\"type\":\"percentage\",\"basis_points\":10001,\"duration\":\"once\"}",
                "{\"name\":\"Negative\",\"type\":\"percentage\",\"basis_points\":-500,\"duration\":\"forever\"}",
                "{\"name\":\"Minus\",\"type\":\"fixed\",\"amounts\":{\"usd\":-100},\"duration\":\"once\"}",
                "{\"name\":\"Months?\",\"type\":\"percentage\",\"basis_points\":500,\"duration\":\"repeating\"}",
                "{\"name\":\"Dates\",\"type\":\"percentage\",\"basis_points\":500,\"duration\":\"once\","
                        + "\"starts_at\":\"2025-02-01T00:00:00Z\",\"ends_at\":\"2025-01-01T00:00:00Z\"}")) {
            Reply reply = post("/v1/discounts/", tenant.bearer(), body);
            assertThat(reply.status()).as(body).isEqualTo(422);
            assertThat(reply.contentType()).startsWith("application/problem+json");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM discounts WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single()).isZero();
    }

    @Test
    void aDiscountThatCannotBeRedeemedRefusesTheSubscriptionWhole() {
        Tenant tenant = newTenant();
        String product = product(tenant, "usd");
        String other = product(tenant, "usd");
        customer(tenant, "ada", "JP");
        customer(tenant, "bob", "JP");
        String onlyOther = discount(tenant, "{\"name\":\"Other\",\"type\":\"percentage\",\"basis_points\":1000,"
                + "\"duration\":\"once\",\"products\":[\"" + other + "\"]}");
        String once = discount(tenant, "{\"name\":\"One\",\"type\":\"percentage\",\"basis_points\":1000,"
                + "\"duration\":\"once\",\"max_redemptions\":1}");
        String expired = discount(tenant, "{\"name\":\"Old\",\"type\":\"percentage\",\"basis_points\":1000,"
                + "\"duration\":\"once\",\"ends_at\":\"2025-01-01T00:00:00Z\"}");
        String euros = discount(tenant, "{\"name\":\"Euros\",\"type\":\"fixed\",\"amounts\":{\"eur\":500},"
                + "\"duration\":\"once\"}");

        for (String refused : List.of(onlyOther, expired, euros)) {
            Reply reply = subscribe(tenant, product, "ada", refused);
            assertThat(reply.status()).as(reply.body()).isEqualTo(422);
            assertThat(reply.body()).contains("discount_id");
        }
        assertThat(subscribe(tenant, product, "ada", once).status()).isEqualTo(201);
        Reply second = subscribe(tenant, product, "bob", once);
        assertThat(second.status()).isEqualTo(422);
        assertThat(second.body()).contains("maximum");
        // only the one accepted subscription and its order exist
        assertThat(jdbc.sql("SELECT count(*) FROM subscriptions WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM orders WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void anotherOrganisationsDiscountIsNotFound() {
        Tenant mine = newTenant();
        Tenant theirs = newTenant();
        String discount = discount(theirs, "{\"name\":\"Theirs\",\"type\":\"percentage\",\"basis_points\":1000,"
                + "\"duration\":\"forever\"}");
        assertThat(get("/v1/discounts/" + discount, mine.bearer()).status()).isEqualTo(404);
        assertThat(delete("/v1/discounts/" + discount, mine.bearer()).status()).isEqualTo(404);
        assertThat(get("/v1/discounts/", mine.bearer()).json().get("items")).isEmpty();
        String product = product(mine, "usd");
        customer(mine, "ada", "JP");
        Reply refused = subscribe(mine, product, "ada", discount);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(delete("/v1/discounts/" + discount, theirs.bearer()).status()).isEqualTo(204);
        assertThat(get("/v1/discounts/" + discount, theirs.bearer()).status()).isEqualTo(404);
    }
}
