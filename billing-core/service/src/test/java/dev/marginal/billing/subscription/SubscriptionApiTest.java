package dev.marginal.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
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
import tools.jackson.databind.JsonNode;

class SubscriptionApiTest extends BillingApiTest {

    /** Ada subscribes on the last day of January: the month-end anchor is the hard case of renewals. */
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
    Subscriptions subscriptions;

    @Autowired
    SubscriptionRepository repository;

    @Autowired
    Clock appClock;

    @BeforeEach
    void january() {
        clock.set(JAN_31);
    }

    private static final String PRO = """
            {"name":"Pro","recurring_interval":"month","prices":[
              {"amount_type":"fixed","price_currency":"usd","price_amount":2900}]}""";

    private String product(Tenant tenant, String json) {
        Reply reply = post("/v1/products/", tenant.bearer(), json);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    private String customer(Tenant tenant, String externalId) {
        Reply reply = post("/v1/customers/", tenant.bearer(),
                "{\"email\":\"" + externalId + "@example.com\",\"external_id\":\"" + externalId + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    private JsonNode subscribe(Tenant tenant, String product, String externalCustomerId) {
        Reply reply = post("/v1/subscriptions/", tenant.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"" + externalCustomerId + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    private JsonNode read(Tenant tenant, JsonNode subscription) {
        return get("/v1/subscriptions/" + subscription.get("id").stringValue(), tenant.bearer()).json();
    }

    private List<String> history(JsonNode subscription) {
        return repository.history(UUID.fromString(subscription.get("id").stringValue())).stream()
                .map(e -> e.get("type") + ":" + e.get("from_status") + "->" + e.get("to_status")).toList();
    }

    private long rows(Tenant tenant, String table) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single();
    }

    @Test
    void theTestClockIsTheOneTheServiceReads() {
        assertThat(appClock.instant()).isEqualTo(JAN_31);
    }

    @Test
    void subscribingWithoutATrialStartsActiveForOneMonth() {
        Tenant tenant = newTenant();
        String product = product(tenant, PRO);
        String ada = customer(tenant, "ada");

        JsonNode sub = subscribe(tenant, product, "ada");

        assertThat(sub.get("status").stringValue()).isEqualTo("active");
        assertThat(sub.get("customer_id").stringValue()).isEqualTo(ada);
        assertThat(sub.get("customer").get("email").stringValue()).isEqualTo("ada@example.com");
        assertThat(sub.get("product").get("name").stringValue()).isEqualTo("Pro");
        assertThat(sub.get("amount").longValue()).isEqualTo(2900);
        assertThat(sub.get("currency").stringValue()).isEqualTo("usd");
        assertThat(sub.get("recurring_interval").stringValue()).isEqualTo("month");
        assertThat(sub.get("prices").findValuesAsString("amount_type")).containsExactly("fixed");
        assertThat(sub.get("started_at").stringValue()).isEqualTo("2025-01-31T10:00:00Z");
        assertThat(sub.get("current_period_start").stringValue()).isEqualTo("2025-01-31T10:00:00Z");
        // one month from 31 January is the last day of February
        assertThat(sub.get("current_period_end").stringValue()).isEqualTo("2025-02-28T10:00:00Z");
        assertThat(sub.get("cancel_at_period_end").booleanValue()).isFalse();
        assertThat(sub.get("trial_end").isNull()).isTrue();
        assertThat(history(sub)).containsExactly("created:null->active");
    }

    @Test
    void trialEndsIntoActive() {
        Tenant tenant = newTenant();
        String product = product(tenant, """
                {"name":"Pro","recurring_interval":"month","trial_interval":"day","trial_interval_count":14,
                 "prices":[{"amount_type":"fixed","price_currency":"usd","price_amount":2900}]}""");
        customer(tenant, "ada");

        JsonNode sub = subscribe(tenant, product, "ada");

        assertThat(sub.get("status").stringValue()).isEqualTo("trialing");
        assertThat(sub.get("trial_start").stringValue()).isEqualTo("2025-01-31T10:00:00Z");
        assertThat(sub.get("trial_end").stringValue()).isEqualTo("2025-02-14T10:00:00Z");
        assertThat(sub.get("current_period_end").stringValue()).isEqualTo("2025-02-14T10:00:00Z");

        clock.set(Instant.parse("2025-02-14T09:59:59Z"));
        subscriptions.renew(clock.instant());
        assertThat(read(tenant, sub).get("status").stringValue()).isEqualTo("trialing");

        clock.set(Instant.parse("2025-02-14T10:00:00Z"));
        subscriptions.renew(clock.instant());

        JsonNode after = read(tenant, sub);
        assertThat(after.get("status").stringValue()).isEqualTo("active");
        // the first paid month runs from the trial's end
        assertThat(after.get("current_period_start").stringValue()).isEqualTo("2025-02-14T10:00:00Z");
        assertThat(after.get("current_period_end").stringValue()).isEqualTo("2025-03-14T10:00:00Z");
        assertThat(after.get("trial_end").stringValue()).isEqualTo("2025-02-14T10:00:00Z");
        assertThat(history(sub)).containsExactly("created:null->trialing", "status_changed:trialing->active",
                "renewed:active->active");
    }

    @Test
    void renewalFollowsTheAnchorThroughTwoPeriods() {
        Tenant tenant = newTenant();
        customer(tenant, "ada");
        JsonNode sub = subscribe(tenant, product(tenant, PRO), "ada");

        // Two periods have ended by 31 March: [31 Jan, 28 Feb) and [28 Feb, 31 Mar).
        clock.set(Instant.parse("2025-03-31T10:00:00Z"));
        subscriptions.renew(clock.instant());

        JsonNode after = read(tenant, sub);
        assertThat(after.get("status").stringValue()).isEqualTo("active");
        // computed from the anchor: back to the 31st, not stuck on the 28th
        assertThat(after.get("current_period_start").stringValue()).isEqualTo("2025-03-31T10:00:00Z");
        assertThat(after.get("current_period_end").stringValue()).isEqualTo("2025-04-30T10:00:00Z");
        assertThat(history(sub)).containsExactly("created:null->active", "renewed:active->active",
                "renewed:active->active");
        assertThat(subscriptions.renew(clock.instant())).as("nothing more is due").isZero();
    }

    @Test
    void cancelAtPeriodEndKeepsAccessUntilTheEnd() {
        Tenant tenant = newTenant();
        customer(tenant, "ada");
        JsonNode sub = subscribe(tenant, product(tenant, PRO), "ada");
        String path = "/v1/subscriptions/" + sub.get("id").stringValue();
        clock.set(Instant.parse("2025-02-10T00:00:00Z"));

        Reply canceled = patch(path, tenant.bearer(), "{\"cancel_at_period_end\":true}");

        assertThat(canceled.status()).as(canceled.body()).isEqualTo(200);
        assertThat(canceled.json().get("status").stringValue()).isEqualTo("active");
        assertThat(canceled.json().get("cancel_at_period_end").booleanValue()).isTrue();
        assertThat(canceled.json().get("canceled_at").stringValue()).isEqualTo("2025-02-10T00:00:00Z");
        assertThat(canceled.json().get("ends_at").stringValue()).isEqualTo("2025-02-28T10:00:00Z");
        assertThat(canceled.json().get("ended_at").isNull()).isTrue();
        assertThat(get("/v1/subscriptions/?active=true", tenant.bearer()).json().get("items").size()).isEqualTo(1);

        clock.set(Instant.parse("2025-02-28T09:59:59Z"));
        subscriptions.renew(clock.instant());
        assertThat(read(tenant, sub).get("status").stringValue()).isEqualTo("active");

        clock.set(Instant.parse("2025-03-02T00:00:00Z"));
        subscriptions.renew(clock.instant());

        JsonNode ended = read(tenant, sub);
        assertThat(ended.get("status").stringValue()).isEqualTo("canceled");
        assertThat(ended.get("ended_at").stringValue()).isEqualTo("2025-02-28T10:00:00Z");
        assertThat(get("/v1/subscriptions/?active=true", tenant.bearer()).json().get("items").size()).isZero();
        assertThat(history(sub)).containsExactly("created:null->active", "cancel_scheduled:active->active",
                "status_changed:active->canceled");
    }

    @Test
    void uncancelingBeforeTheEndKeepsItRenewing() {
        Tenant tenant = newTenant();
        customer(tenant, "ada");
        JsonNode sub = subscribe(tenant, product(tenant, PRO), "ada");
        String path = "/v1/subscriptions/" + sub.get("id").stringValue();

        patch(path, tenant.bearer(), "{\"cancel_at_period_end\":true}");
        Reply undone = patch(path, tenant.bearer(), "{\"cancel_at_period_end\":false}");
        Reply again = patch(path, tenant.bearer(), "{\"cancel_at_period_end\":false}");
        clock.set(Instant.parse("2025-02-28T10:00:00Z"));
        subscriptions.renew(clock.instant());

        assertThat(undone.json().get("cancel_at_period_end").booleanValue()).isFalse();
        assertThat(undone.json().get("ends_at").isNull()).isTrue();
        assertThat(again.status()).as("nothing to undo is a conflict, not a no-op").isEqualTo(409);
        assertThat(read(tenant, sub).get("status").stringValue()).isEqualTo("active");
        assertThat(read(tenant, sub).get("current_period_end").stringValue()).isEqualTo("2025-03-31T10:00:00Z");
    }

    @Test
    void revokedSubscriptionCannotBeReactivated() {
        Tenant tenant = newTenant();
        customer(tenant, "ada");
        JsonNode sub = subscribe(tenant, product(tenant, PRO), "ada");
        String path = "/v1/subscriptions/" + sub.get("id").stringValue();
        clock.set(Instant.parse("2025-02-03T12:00:00Z"));

        Reply revoked = delete(path, tenant.bearer());

        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("status").stringValue()).isEqualTo("canceled");
        assertThat(revoked.json().get("ended_at").stringValue()).isEqualTo("2025-02-03T12:00:00Z");
        assertThat(revoked.json().get("canceled_at").stringValue()).isEqualTo("2025-02-03T12:00:00Z");
        for (Reply refused : List.of(delete(path, tenant.bearer()),
                patch(path, tenant.bearer(), "{\"revoke\":true}"),
                patch(path, tenant.bearer(), "{\"cancel_at_period_end\":false}"),
                patch(path, tenant.bearer(), "{\"cancel_at_period_end\":true}"))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("type").stringValue())
                    .isEqualTo("https://marginal.dev/problems/illegal-transition");
        }
        clock.set(Instant.parse("2025-06-01T00:00:00Z"));
        subscriptions.renew(clock.instant());
        assertThat(read(tenant, sub).get("status").stringValue()).isEqualTo("canceled");
        assertThat(history(sub)).containsExactly("created:null->active", "status_changed:active->canceled");
    }

    @Test
    void revokeDuringATrialEndsItAtOnce() {
        Tenant tenant = newTenant();
        customer(tenant, "ada");
        JsonNode sub = subscribe(tenant, product(tenant, """
                {"name":"Pro","recurring_interval":"year","trial_interval":"week","trial_interval_count":1,
                 "prices":[{"amount_type":"free","price_currency":"eur"}]}"""), "ada");

        Reply revoked = patch("/v1/subscriptions/" + sub.get("id").stringValue(), tenant.bearer(),
                "{\"revoke\":true}");

        assertThat(sub.get("currency").stringValue()).isEqualTo("eur");
        assertThat(sub.get("amount").longValue()).isZero();
        assertThat(revoked.json().get("status").stringValue()).isEqualTo("canceled");
        assertThat(history(sub)).containsExactly("created:null->trialing", "status_changed:trialing->canceled");
    }

    @Test
    void badInputIsRefusedAndNothingIsWritten() {
        Tenant tenant = newTenant();
        String pro = product(tenant, PRO);
        String lifetime = product(tenant, """
                {"name":"Lifetime","prices":[{"amount_type":"fixed","price_currency":"usd","price_amount":9900}]}""");
        customer(tenant, "ada");

        List<String> bodies = List.of(
                "{}",
                "{\"product_id\":\"" + pro + "\"}",
                "{\"product_id\":\"" + pro + "\",\"customer_id\":\"" + UUID.randomUUID()
                        + "\",\"external_customer_id\":\"ada\"}",
                "{\"product_id\":\"" + pro + "\",\"external_customer_id\":\"nobody\"}",
                "{\"product_id\":\"not-a-uuid\",\"external_customer_id\":\"ada\"}",
                "{\"product_id\":\"" + UUID.randomUUID() + "\",\"external_customer_id\":\"ada\"}",
                "{\"product_id\":\"" + lifetime + "\",\"external_customer_id\":\"ada\"}",
                "{\"product_id\":\"" + pro + "\",\"external_customer_id\":\"ada\",\"metadata\":[1]}");
        for (String body : bodies) {
            Reply reply = post("/v1/subscriptions/", tenant.bearer(), body);
            assertThat(reply.status()).as(body + " → " + reply.body()).isEqualTo(422);
            assertThat(reply.json().get("detail").isArray()).isTrue();
        }
        assertThat(post("/v1/subscriptions/", tenant.bearer(), "{\"product_id\":").status()).isEqualTo(400);
        assertThat(rows(tenant, "subscriptions")).isZero();
        assertThat(rows(tenant, "subscription_events")).isZero();
    }

    @Test
    void aPriceInAnotherCurrencyThanTheSubscriptionsIsRefused() {
        Tenant tenant = newTenant();
        String product = product(tenant, """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":2900},
                  {"amount_type":"fixed","price_currency":"eur","price_amount":2700}]}""");
        customer(tenant, "ada");

        Reply ambiguous = post("/v1/subscriptions/", tenant.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"ada\"}");
        Reply pounds = post("/v1/subscriptions/", tenant.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"ada\",\"currency\":\"gbp\"}");
        Reply euros = post("/v1/subscriptions/", tenant.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"ada\",\"currency\":\"eur\"}");

        assertThat(ambiguous.status()).isEqualTo(422);
        assertThat(pounds.status()).isEqualTo(422);
        assertThat(pounds.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"currency\"]");
        assertThat(euros.status()).as(euros.body()).isEqualTo(201);
        assertThat(euros.json().get("amount").longValue()).isEqualTo(2700);
        assertThat(euros.json().get("prices").findValuesAsString("price_currency")).containsExactly("eur");
        // Below the API too: the database refuses to attach the dollar price to a euro subscription.
        String usdPrice = get("/v1/products/" + product, tenant.bearer()).json().get("prices").get(0).get("id")
                .stringValue();
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO subscription_prices VALUES (CAST(? AS uuid), 'eur', CAST(? AS uuid))")
                .params(euros.json().get("id").stringValue(), usdPrice).update())
                .hasMessageContaining("foreign key");
    }

    @Test
    void aSubscriptionKeepsTheArchivedPriceItWasSoldAt() {
        Tenant tenant = newTenant();
        String product = product(tenant, PRO);
        customer(tenant, "ada");
        JsonNode sub = subscribe(tenant, product, "ada");
        String soldAt = sub.get("prices").get(0).get("id").stringValue();

        patch("/v1/products/" + product, tenant.bearer(), """
                {"prices":[{"amount_type":"fixed","price_currency":"usd","price_amount":3900}]}""");

        JsonNode price = read(tenant, sub).get("prices").get(0);
        assertThat(price.get("id").stringValue()).isEqualTo(soldAt);
        assertThat(price.get("price_amount").longValue()).isEqualTo(2900);
        assertThat(price.get("is_archived").booleanValue()).isTrue();
    }

    @Test
    void anotherOrganizationsSubscriptionIsNotFound() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();
        String product = product(acme, PRO);
        customer(acme, "ada");
        JsonNode sub = subscribe(acme, product, "ada");
        String path = "/v1/subscriptions/" + sub.get("id").stringValue();
        customer(globex, "ada");

        assertThat(get(path, globex.bearer()).status()).isEqualTo(404);
        assertThat(patch(path, globex.bearer(), "{\"cancel_at_period_end\":true}").status()).isEqualTo(404);
        assertThat(delete(path, globex.bearer()).status()).isEqualTo(404);
        assertThat(get("/v1/subscriptions/", globex.bearer()).json().get("items").size()).isZero();
        // acme's product is not globex's to sell (a 422 at the field, as Polar answers for body ids)
        Reply foreign = post("/v1/subscriptions/", globex.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"ada\"}");
        assertThat(foreign.status()).isEqualTo(422);
        assertThat(read(acme, sub).get("status").stringValue()).isEqualTo("active");
        assertThat(read(acme, sub).get("cancel_at_period_end").booleanValue()).isFalse();
    }

    @Test
    void listFiltersByCustomerProductAndActive() {
        Tenant tenant = newTenant();
        String pro = product(tenant, PRO);
        String team = product(tenant, PRO.replace("\"Pro\"", "\"Team\""));
        String ada = customer(tenant, "ada");
        customer(tenant, "grace");
        subscribe(tenant, pro, "ada");
        JsonNode graceTeam = subscribe(tenant, team, "grace");
        delete("/v1/subscriptions/" + graceTeam.get("id").stringValue(), tenant.bearer());

        JsonNode adas = get("/v1/subscriptions/?customer_id=" + ada, tenant.bearer()).json().get("items");
        assertThat(adas.size()).isEqualTo(1);
        assertThat(adas.get(0).get("product_id").stringValue()).isEqualTo(pro);
        assertThat(get("/v1/subscriptions/?product_id=" + team, tenant.bearer()).json().get("pagination")
                .get("total_count").intValue()).isEqualTo(1);
        JsonNode inactive = get("/v1/subscriptions/?active=false", tenant.bearer()).json().get("items");
        assertThat(inactive.size()).isEqualTo(1);
        assertThat(inactive.get(0).get("status").stringValue()).isEqualTo("canceled");
        assertThat(get("/v1/subscriptions/?external_customer_id=grace", tenant.bearer()).json().get("items").size())
                .isEqualTo(1);
        assertThat(get("/v1/subscriptions/?status=nope", tenant.bearer()).status()).isEqualTo(422);
    }

    @Test
    void anUpdateMustSayWhatToDo() {
        Tenant tenant = newTenant();
        customer(tenant, "ada");
        JsonNode sub = subscribe(tenant, product(tenant, PRO), "ada");
        String path = "/v1/subscriptions/" + sub.get("id").stringValue();

        assertThat(patch(path, tenant.bearer(), "{}").status()).isEqualTo(422);
        assertThat(patch(path, tenant.bearer(), "{\"cancel_at_period_end\":\"yes\"}").status()).isEqualTo(422);
        assertThat(patch(path, tenant.bearer(), "{\"product_id\":\"" + UUID.randomUUID() + "\"}").status())
                .isEqualTo(422);
        assertThat(patch(path, tenant.bearer(), "{\"revoke\":false}").status()).isEqualTo(422);
        assertThat(history(sub)).containsExactly("created:null->active");
    }

    @Test
    void theHistoryIsAppendOnly() {
        Tenant tenant = newTenant();
        customer(tenant, "ada");
        subscribe(tenant, product(tenant, PRO), "ada");

        assertThatThrownBy(() -> jdbc.sql("UPDATE subscription_events SET to_status = 'active' WHERE organization_id = ?")
                .param(tenant.id()).update()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM subscription_events WHERE organization_id = ?")
                .param(tenant.id()).update()).hasMessageContaining("append-only");
    }
}
