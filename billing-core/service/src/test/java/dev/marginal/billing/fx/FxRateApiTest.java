package dev.marginal.billing.fx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

class FxRateApiTest extends BillingApiTest {

    private static final String PLATFORM = "Bearer " + PLATFORM_TOKEN;

    private long count() {
        return jdbc.sql("SELECT count(*) FROM fx_rates WHERE source = 'test-ecb'").query(Long.class).single();
    }

    @Test
    void ratesLoadOncePerDayAndADifferentRateForALoadedDayIsRefused() {
        String batch = """
                {"source":"test-ecb","rates":[
                  {"base":"eur","quote":"usd","date":"2025-03-14","rate":"1.0834"},
                  {"base":"gbp","quote":"usd","date":"2025-03-14","rate":"1.293100000001"}]}""";
        Reply first = post("/v1/platform/fx-rates", PLATFORM, batch);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("inserted").intValue()).isEqualTo(2);
        Reply again = post("/v1/platform/fx-rates", PLATFORM, batch);
        assertThat(again.json().get("duplicates").intValue()).isEqualTo(2);

        Reply changed = post("/v1/platform/fx-rates", PLATFORM, """
                {"source":"test-ecb","rates":[
                  {"base":"eur","quote":"jpy","date":"2025-03-14","rate":"161.2"},
                  {"base":"eur","quote":"usd","date":"2025-03-14","rate":"1.09"}]}""");
        assertThat(changed.status()).isEqualTo(409);
        assertThat(count()).as("the whole batch rolled back").isEqualTo(2);
        Reply listed = get("/v1/platform/fx-rates", PLATFORM);
        assertThat(listed.body()).contains("\"rate\":1.293100000001");
    }

    @Test
    void badRatesAre422AndWriteNothing() {
        Reply reply = post("/v1/platform/fx-rates", PLATFORM, """
                {"source":"test-ecb","rates":[
                  {"base":"eur","quote":"usd","date":"2025-03-15","rate":"1.08"},
                  {"base":"eur","quote":"xyz","date":"2025-03-15","rate":"1.08"},
                  {"base":"eur","quote":"usd","date":"2025-03-32","rate":"1.08"},
                  {"base":"eur","quote":"usd","date":"2025-03-16","rate":"-1"}]}""");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(jdbc.sql("SELECT count(*) FROM fx_rates WHERE rate_date >= '2025-03-15'").query(Long.class)
                .single()).isZero();
        assertThat(post("/v1/platform/fx-rates", "Bearer nope", "{}").status()).isEqualTo(401);
    }

    @Test
    void anOrganisationReportsInTheCurrencyItChooses() {
        Tenant tenant = newTenant();
        assertThat(jdbc.sql("SELECT reporting_currency FROM organizations WHERE id = ?").param(tenant.id())
                .query(String.class).single()).isEqualTo("usd");
        Reply set = send(java.net.http.HttpRequest.newBuilder(uri("/v1/platform/organizations/" + tenant.id()
                        + "/reporting-currency")).header("Authorization", PLATFORM)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reporting_currency\":\"eur\"}")).build());
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT reporting_currency FROM organizations WHERE id = ?").param(tenant.id())
                .query(String.class).single()).isEqualTo("eur");
    }
}
