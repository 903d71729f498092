package dev.marginal.billing.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;
import tools.jackson.databind.JsonNode;

class ProductApiTest extends BillingApiTest {

    static final String TOKENS_METER = """
            {"name":"LLM tokens","filter":{"conjunction":"and","clauses":[
               {"property":"name","operator":"eq","value":"completion"}]},
             "aggregation":{"func":"sum","property":"metadata._llm.total_tokens"},"unit":"token"}""";

    private static final String PRO = """
            {"name":"Pro","description":"For teams","recurring_interval":"month","prices":[
              {"amount_type":"fixed","price_currency":"usd","price_amount":2900},
              {"amount_type":"fixed","price_currency":"eur","price_amount":2700}]}""";

    private long prices(Tenant tenant) {
        return jdbc.sql("SELECT count(*) FROM product_prices WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single();
    }

    private long products(Tenant tenant) {
        return jdbc.sql("SELECT count(*) FROM products WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single();
    }

    @Test
    void aMonthlyPlanWithAMeteredTokenPriceReadsBackAsPolarWrites() {
        Tenant tenant = newTenant();
        String meter = post("/v1/meters/", tenant.bearer(), TOKENS_METER).json().get("id").stringValue();

        Reply created = post("/v1/products/", tenant.bearer(), """
                {"name":"  Pro  ","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_amount":2900},
                  {"amount_type":"metered_unit","meter_id":"%s","unit_amount":"0.000125","cap_amount":5000}]}"""
                .formatted(meter));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode product = get("/v1/products/" + created.json().get("id").stringValue(), tenant.bearer()).json();
        assertThat(product.get("name").stringValue()).isEqualTo("Pro");
        assertThat(product.get("recurring_interval").stringValue()).isEqualTo("month");
        assertThat(product.get("recurring_interval_count").intValue()).isEqualTo(1);
        assertThat(product.get("is_recurring").booleanValue()).isTrue();
        assertThat(product.get("is_archived").booleanValue()).isFalse();
        assertThat(product.get("benefits").isArray()).isTrue();
        JsonNode fixed = product.get("prices").get(0);
        assertThat(fixed.get("amount_type").stringValue()).isEqualTo("fixed");
        assertThat(fixed.get("price_currency").stringValue()).isEqualTo("usd");
        assertThat(fixed.get("price_amount").longValue()).isEqualTo(2900);
        assertThat(fixed.has("unit_amount")).isFalse();
        JsonNode metered = product.get("prices").get(1);
        assertThat(metered.get("unit_amount").stringValue()).isEqualTo("0.000125");
        assertThat(metered.get("cap_amount").longValue()).isEqualTo(5000);
        assertThat(metered.get("meter_id").stringValue()).isEqualTo(meter);
        assertThat(metered.get("meter").get("name").stringValue()).isEqualTo("LLM tokens");
        // Stored as the engine's fields: minor units and a NUMERIC(38,12) unit amount.
        assertThat(jdbc.sql("SELECT unit_amount::text FROM product_prices WHERE amount_type = 'metered_unit'"
                + " AND organization_id = ?").param(tenant.id()).query(String.class).single())
                .isEqualTo("0.000125000000");
    }

    @Test
    void tieredMeteredPriceUsesPolarsTiersShapeAndReadsBackAsTheEnginePricesIt() {
        Tenant tenant = newTenant();
        String meter = post("/v1/meters/", tenant.bearer(), TOKENS_METER).json().get("id").stringValue();

        Reply created = post("/v1/products/", tenant.bearer(), """
                {"name":"API","recurring_interval":"month","prices":[{"amount_type":"metered_tiered",
                  "meter_id":"%s","tiers":{"type":"graduated","tiers":[
                    {"bound":1000,"unit_amount":"0"},
                    {"bound":10000,"unit_amount":"0.5","flat_amount":"2000"},
                    {"bound":null,"unit_amount":"0.2"}]}}]}""".formatted(meter));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ProductPrice stored = repository().allPrices(tenant.id(),
                java.util.UUID.fromString(created.json().get("id").stringValue())).get(0);
        // 12,500 calls: 1,000 × 0 + (9,000 × 0.5 + 2,000) + 2,500 × 0.2 = 7,000 ¢ (docs/pricing.md).
        assertThat(stored.engine(dev.marginal.pricing.price.Recurrence.MONTHLY)
                .amount(12_500).minorUnits()).isEqualTo(7000);
        assertThat(created.json().get("prices").get(0).get("tiers").get("tiers").get(1).get("bound").intValue())
                .isEqualTo(10000);
    }

    @Test
    void tierGapOrDisorderIsA422AtTheTierAndNothingIsWritten() {
        Tenant tenant = newTenant();
        String meter = post("/v1/meters/", tenant.bearer(), TOKENS_METER).json().get("id").stringValue();

        Reply reply = post("/v1/products/", tenant.bearer(), """
                {"name":"API","recurring_interval":"month","prices":[{"amount_type":"metered_tiered",
                  "meter_id":"%s","tiers":{"type":"volume","tiers":[
                    {"bound":1000,"unit_amount":"1"},{"bound":500,"unit_amount":"0.5"},{"unit_amount":"0.2"}]}}]}"""
                .formatted(meter));

        assertThat(reply.status()).as(reply.body()).isEqualTo(422);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"prices\",0,\"tiers\",\"tiers\",1,\"bound\"]");
        assertThat(products(tenant)).isZero();
        assertThat(prices(tenant)).isZero();
    }

    @Test
    void badPricesAreRefusedFieldByFieldAndNothingIsWritten() {
        Tenant tenant = newTenant();

        Reply reply = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":-100},
                  {"amount_type":"fixed","price_currency":"zzz","price_amount":100},
                  {"amount_type":"metered_unit","meter_id":"018f0000-0000-7000-8000-000000000000","unit_amount":"0"},
                  {"amount_type":"bogus"}]}""");

        assertThat(reply.status()).as(reply.body()).isEqualTo(422);
        assertThat(reply.json().get("detail").findValues("loc").stream().map(JsonNode::toString).toList())
                .containsExactlyInAnyOrder(
                        "[\"body\",\"prices\",0,\"price_amount\"]",
                        "[\"body\",\"prices\",1,\"price_currency\"]",
                        "[\"body\",\"prices\",2,\"unit_amount\"]",
                        "[\"body\",\"prices\",3,\"amount_type\"]");
        assertThat(products(tenant)).isZero();
    }

    @Test
    void anotherOrganizationsMeterCannotBePriced() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();
        String meter = post("/v1/meters/", acme.bearer(), TOKENS_METER).json().get("id").stringValue();

        Reply reply = post("/v1/products/", globex.bearer(), """
                {"name":"API","recurring_interval":"month","prices":[
                  {"amount_type":"metered_unit","meter_id":"%s","unit_amount":"1"}]}""".formatted(meter));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"prices\",0,\"meter_id\"]");
        assertThat(products(globex)).isZero();
    }

    @Test
    void oneTimeProductsTakeOneTimePricesAndNoMeters() {
        Tenant tenant = newTenant();

        Reply ok = post("/v1/products/", tenant.bearer(), """
                {"name":"Lifetime","prices":[{"amount_type":"fixed","price_currency":"eur","price_amount":4900}]}""");
        Reply metered = post("/v1/products/", tenant.bearer(), """
                {"name":"Lifetime","prices":[{"amount_type":"metered_unit",
                  "meter_id":"018f0000-0000-7000-8000-000000000000","unit_amount":"1"}]}""");

        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().get("is_recurring").booleanValue()).isFalse();
        assertThat(ok.json().get("prices").get(0).get("type").stringValue()).isEqualTo("one_time");
        assertThat(metered.status()).isEqualTo(422);
    }

    @Test
    void priceChangeArchivesTheOldPrice() {
        Tenant tenant = newTenant();
        JsonNode product = post("/v1/products/", tenant.bearer(), PRO).json();
        String usd = product.get("prices").get(0).get("id").stringValue();
        String eur = product.get("prices").get(1).get("id").stringValue();

        Reply changed = patch("/v1/products/" + product.get("id").stringValue(), tenant.bearer(), """
                {"name":"Pro 2025","prices":[{"id":"%s"},
                  {"amount_type":"fixed","price_currency":"usd","price_amount":3900}]}""".formatted(eur));

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("name").stringValue()).isEqualTo("Pro 2025");
        assertThat(changed.json().get("prices").findValuesAsString("id")).hasSize(2).contains(eur).doesNotContain(usd);
        // The old row is kept as it was, archived: whatever was sold at $29 still says $29.
        assertThat(jdbc.sql("SELECT price_amount, is_archived FROM product_prices WHERE id = CAST(? AS uuid)")
                .param(usd).query((rs, n) -> rs.getLong(1) + "/" + rs.getBoolean(2)).single())
                .isEqualTo("2900/true");
        assertThat(prices(tenant)).isEqualTo(3);
    }

    @Test
    void aPriceRowIsNeverUpdatedInPlaceNorDeleted() {
        Tenant tenant = newTenant();
        String usd = post("/v1/products/", tenant.bearer(), PRO).json().get("prices").get(0).get("id").stringValue();

        assertThatThrownBy(() -> jdbc.sql("UPDATE product_prices SET price_amount = 1 WHERE id = CAST(? AS uuid)")
                .param(usd).update()).hasMessageContaining("immutable");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM product_prices WHERE id = CAST(? AS uuid)")
                .param(usd).update()).hasMessageContaining("never deleted");
    }

    @Test
    void twoFixedPricesInOneCurrencyAreRefusedOnUpdateAndNothingChanges() {
        Tenant tenant = newTenant();
        JsonNode product = post("/v1/products/", tenant.bearer(), PRO).json();
        String usd = product.get("prices").get(0).get("id").stringValue();

        Reply reply = patch("/v1/products/" + product.get("id").stringValue(), tenant.bearer(), """
                {"name":"Renamed","prices":[{"id":"%s"},
                  {"amount_type":"fixed","price_currency":"usd","price_amount":3900}]}""".formatted(usd));

        assertThat(reply.status()).as(reply.body()).isEqualTo(422);
        assertThat(prices(tenant)).isEqualTo(2);
        assertThat(get("/v1/products/" + product.get("id").stringValue(), tenant.bearer()).json().get("name")
                .stringValue()).isEqualTo("Pro");
    }

    @Test
    void anotherOrganizationsProductIsNotFound() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();
        String id = post("/v1/products/", acme.bearer(), PRO).json().get("id").stringValue();

        assertThat(get("/v1/products/" + id, globex.bearer()).status()).isEqualTo(404);
        assertThat(patch("/v1/products/" + id, globex.bearer(), "{\"name\":\"Mine\"}").status()).isEqualTo(404);
        assertThat(get("/v1/products/", globex.bearer()).json().get("pagination").get("total_count").intValue())
                .isZero();
    }

    @Test
    void listFiltersByRecurrenceAndArchival() {
        Tenant tenant = newTenant();
        post("/v1/products/", tenant.bearer(), PRO);
        String once = post("/v1/products/", tenant.bearer(), """
                {"name":"Lifetime","prices":[{"amount_type":"free"}]}""").json().get("id").stringValue();
        patch("/v1/products/" + once, tenant.bearer(), "{\"is_archived\":true}");

        assertThat(get("/v1/products/?is_recurring=true", tenant.bearer()).json().get("items").findValuesAsString("name"))
                .isEqualTo(List.of("Pro"));
        assertThat(get("/v1/products/?is_archived=true", tenant.bearer()).json().get("items")
                .findValuesAsString("name")).isEqualTo(List.of("Lifetime"));
        assertThat(get("/v1/products/?metadata[x]=y", tenant.bearer()).status()).isEqualTo(422);
    }

    private ProductRepository repository() {
        return new ProductRepository(jdbc);
    }
}
