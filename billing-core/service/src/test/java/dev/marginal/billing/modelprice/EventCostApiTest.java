package dev.marginal.billing.modelprice;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

class EventCostApiTest extends BillingApiTest {

    private Reply ingest(Tenant tenant, String... events) {
        return post("/v1/events/ingest", tenant.bearer(), "{\"events\":[" + String.join(",", events) + "]}");
    }

    private static String llmEvent(String externalId, String timestamp, String vendor, String model, long input,
                                   long cached, long output) {
        return "{\"name\":\"completion\",\"external_customer_id\":\"cus_1\",\"external_id\":\"" + externalId
                + "\",\"timestamp\":\"" + timestamp + "\",\"metadata\":{\"_llm\":{\"vendor\":\"" + vendor
                + "\",\"model\":\"" + model + "\",\"input_tokens\":" + input + ",\"cached_input_tokens\":" + cached
                + ",\"output_tokens\":" + output + ",\"total_tokens\":" + (input + output) + "}}}";
    }

    private Map<String, Object> cost(Tenant tenant, String externalId) {
        return jdbc.sql("""
                        SELECT cost_amount, cost_currency, cost_source, model_price_id FROM events
                        WHERE organization_id = ? AND external_id = ?""")
                .param(tenant.id()).param(externalId).query().singleRow();
    }

    private UUID listPriceId(String model, String at) {
        return jdbc.sql("""
                        SELECT id FROM model_prices WHERE organization_id IS NULL AND model = ?
                          AND effective_from <= ?::timestamptz AND (effective_to IS NULL OR effective_to > ?::timestamptz)""")
                .param(model).param(at).param(at).query(UUID.class).single();
    }

    @Test
    void costUsesThePriceInEffectAtTheEventTime() {
        Tenant tenant = newTenant();

        Reply reply = ingest(tenant,
                llmEvent("before-cut", "2025-05-01T12:00:00Z", "openai", "o3", 1000, 0, 1000),
                llmEvent("after-cut", "2025-07-01T12:00:00Z", "OpenAI", "O3", 1000, 0, 1000));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        // Before 10 June 2025: 1,000 × $10 + 1,000 × $40 = $50,000 per million → $0.05 = 5 cents.
        Map<String, Object> before = cost(tenant, "before-cut");
        assertThat((BigDecimal) before.get("cost_amount")).isEqualByComparingTo("5");
        assertThat(before.get("cost_source")).isEqualTo("catalog");
        assertThat(before.get("cost_currency")).isEqualTo("usd");
        assertThat(before.get("model_price_id")).isEqualTo(listPriceId("o3", "2025-05-01T12:00:00Z"));
        // After: 1,000 × $2 + 1,000 × $8 = $10,000 per million → 1 cent, from the other catalog row.
        Map<String, Object> after = cost(tenant, "after-cut");
        assertThat((BigDecimal) after.get("cost_amount")).isEqualByComparingTo("1");
        assertThat(after.get("model_price_id")).isEqualTo(listPriceId("o3", "2025-07-01T12:00:00Z"))
                .isNotEqualTo(before.get("model_price_id"));
    }

    @Test
    void cachedInputTokensArePricedAtTheCachedRate() {
        Tenant tenant = newTenant();

        ingest(tenant, llmEvent("cached", "2025-03-14T09:26:53Z", "openai", "gpt-4o", 812, 512, 95));

        // 300 × $2.50 + 512 × $1.25 + 95 × $10.00 = 750 + 640 + 950 = $2,340 per million → 0.234 cents.
        Map<String, Object> cost = cost(tenant, "cached");
        assertThat((BigDecimal) cost.get("cost_amount")).isEqualByComparingTo("0.234");
        assertThat(((BigDecimal) cost.get("cost_amount")).scale()).isEqualTo(12);
    }

    @Test
    void theEventsOwnCostWinsOverTheCatalog() {
        Tenant tenant = newTenant();

        ingest(tenant, "{\"name\":\"completion\",\"external_customer_id\":\"c\",\"external_id\":\"own\",\"metadata\":"
                + "{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1,"
                + "\"total_tokens\":2},\"_cost\":{\"amount\":\"0.000000000001\",\"currency\":\"USD\"}}}");

        Map<String, Object> cost = cost(tenant, "own");
        assertThat((BigDecimal) cost.get("cost_amount")).isEqualByComparingTo("0.000000000001");
        assertThat(cost.get("cost_source")).isEqualTo("event");
        assertThat(cost.get("cost_currency")).isEqualTo("usd");
        assertThat(cost.get("model_price_id")).isNull();
    }

    @Test
    void aModelTheCatalogDoesNotKnowHasNoCostRatherThanAGuess() {
        Tenant tenant = newTenant();

        ingest(tenant, llmEvent("unknown", "2025-03-14T09:26:53Z", "acme", "frontier-9", 100, 0, 100),
                llmEvent("too-early", "2023-01-01T00:00:00Z", "openai", "gpt-4o", 100, 0, 100));

        assertThat(cost(tenant, "unknown").get("cost_amount")).isNull();
        assertThat(cost(tenant, "too-early").get("cost_source")).isNull();
    }

    @Test
    void anOrganizationsOwnPriceOverridesTheListPriceForItsEventsOnly() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();

        Reply created = post("/v1/model-prices/", acme.bearer(), """
                {"vendor":"OpenAI","model":"gpt-4o","input_usd_per_million_tokens":"2.00",
                 "output_usd_per_million_tokens":8,"effective_from":"2025-03-01T00:00:00Z",
                 "source_url":"https://example.com/our-contract"}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("vendor").stringValue()).isEqualTo("openai");
        assertThat(created.json().get("organization_id").stringValue()).isEqualTo(acme.id().toString());
        assertThat(created.json().get("cached_input_usd_per_million_tokens").isNull()).isTrue();

        String event = llmEvent("deal", "2025-04-01T00:00:00Z", "openai", "gpt-4o", 1000, 500, 1000);
        ingest(acme, event);
        ingest(globex, event);

        // Own price, no cached rate: 1,000 × $2 + 1,000 × $8 = $10,000 per million → 1 cent.
        assertThat((BigDecimal) cost(acme, "deal").get("cost_amount")).isEqualByComparingTo("1");
        assertThat(cost(acme, "deal").get("model_price_id").toString()).isEqualTo(created.json().get("id").stringValue());
        // List price: 500 × 2.50 + 500 × 1.25 + 1,000 × 10 = 11,875 → 1.1875 cents.
        assertThat((BigDecimal) cost(globex, "deal").get("cost_amount")).isEqualByComparingTo("1.1875");

        Reply fetched = send(java.net.http.HttpRequest.newBuilder(uri("/v1/model-prices/" + created.json().get("id").stringValue()))
                .header("Authorization", globex.bearer()).GET().build());
        assertThat(fetched.status()).isEqualTo(404);
    }

    @Test
    void aNewOwnPriceSupersedesTheOpenOneAndOverlapsAreRefused() {
        Tenant tenant = newTenant();
        String march = """
                {"vendor":"anthropic","model":"claude-sonnet-4","input_usd_per_million_tokens":2.5,
                 "cached_input_usd_per_million_tokens":0.25,"output_usd_per_million_tokens":12,
                 "effective_from":"2025-03-01T00:00:00Z"}""";
        String may = march.replace("2025-03-01", "2025-05-01").replace("2.5,", "2.4,");
        String overlapping = march.replace("\"effective_from\":\"2025-03-01T00:00:00Z\"",
                "\"effective_from\":\"2025-02-01T00:00:00Z\",\"effective_to\":\"2025-04-01T00:00:00Z\"");

        String first = post("/v1/model-prices/", tenant.bearer(), march).json().get("id").stringValue();
        assertThat(post("/v1/model-prices/", tenant.bearer(), may).status()).isEqualTo(201);
        Reply refused = post("/v1/model-prices/", tenant.bearer(), overlapping);

        assertThat(jdbc.sql("SELECT effective_to::text FROM model_prices WHERE id = ?::uuid").param(first)
                .query(String.class).single()).isEqualTo("2025-05-01 00:00:00+00");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"effective_from\"]");
        assertThat(jdbc.sql("SELECT count(*) FROM model_prices WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void theStartingCatalogListsTheMainVendorsWithTheirSources() {
        Tenant tenant = newTenant();

        Reply reply = send(java.net.http.HttpRequest.newBuilder(uri("/v1/model-prices/?limit=100"))
                .header("Authorization", tenant.bearer()).GET().build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("items").findValuesAsString("vendor"))
                .contains("openai", "anthropic", "google", "mistral");
        assertThat(reply.json().get("items").findValuesAsString("source_url")).allMatch(url -> url.startsWith("https://"));
        assertThat(reply.json().get("pagination").get("total_count").intValue()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void aBadPriceIsRefusedFieldByField() {
        Tenant tenant = newTenant();

        Reply reply = post("/v1/model-prices/", tenant.bearer(),
                "{\"vendor\":\"openai\",\"input_usd_per_million_tokens\":-1,\"output_usd_per_million_tokens\":\"0.0000001\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").findValuesAsString("type"))
                .containsExactlyInAnyOrder("missing", "greater_than_equal", "decimal_max_places");
    }
}
