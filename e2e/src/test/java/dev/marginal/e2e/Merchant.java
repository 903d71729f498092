package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A merchant set up through billing-core's public API, as its backend would: an LLM-token meter, a
 * monthly product with a fixed fee and a metered token price, customers with sandbox cards,
 * subscriptions (each billed and collected at once) and usage events carrying their LLM cost.
 */
final class Merchant {

    static final String TOKENS_METER = """
            {"name":"LLM tokens","filter":{"conjunction":"and","clauses":[
               {"property":"name","operator":"eq","value":"chat.completion"}]},
             "aggregation":{"func":"sum","property":"metadata._llm.total_tokens"},"unit":"token"}""";

    final BillingApi billing;
    final BillingApi.Organization org;
    String meterId;
    String productId;
    String fixedPriceId;
    String meteredPriceId;

    Merchant(BillingApi billing, BillingApi.Organization org) {
        this.billing = billing;
        this.org = org;
    }

    /** Pro: {@code fixedCents} a month plus {@code unitAmountCents} per token. */
    Merchant withProPlan(long fixedCents, String unitAmountCents) throws Exception {
        meterId = post("/v1/meters/", TOKENS_METER).get("id").asText();
        JsonNode product = post("/v1/products/", """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":%d},
                  {"amount_type":"metered_unit","meter_id":"%s","unit_amount":"%s"}]}"""
                .formatted(fixedCents, meterId, unitAmountCents));
        productId = product.get("id").asText();
        for (JsonNode price : product.get("prices")) {
            if (price.get("amount_type").asText().equals("fixed")) {
                fixedPriceId = price.get("id").asText();
            } else {
                meteredPriceId = price.get("id").asText();
            }
        }
        return this;
    }

    /** A customer with a sandbox card that succeeds; returns its id. */
    String customer(String externalId) throws Exception {
        return customer(externalId, "ok");
    }

    /** A customer paying with the sandbox's {@code card} ({@code ok}, {@code dispute_lost}, …); returns its id. */
    String customer(String externalId, String card) throws Exception {
        return post("/v1/customers/", "{\"email\":\"" + externalId + "@example.com\",\"external_id\":\"" + externalId
                + "\",\"metadata\":{\"sandbox_card\":\"" + card + "\"}}").get("id").asText();
    }

    /** Subscribes the customer to Pro: billing-core bills the first period and collects it. */
    JsonNode subscribe(String externalCustomerId) throws Exception {
        return post("/v1/subscriptions/", "{\"product_id\":\"" + productId + "\",\"external_customer_id\":\""
                + externalCustomerId + "\"}");
    }

    /** The organisation's own list price for a model, so its model_prices mirror has a row of its own. */
    void ownModelPrice(String model) throws Exception {
        post("/v1/model-prices/", """
                {"vendor":"openai","model":"%s","input_usd_per_million_tokens":"2.50","output_usd_per_million_tokens":"10",
                 "effective_from":"2025-01-01T00:00:00Z","source_url":"https://example.com/contract"}""".formatted(model));
    }

    /** Chat completions of {@code tokens[i]} total tokens, each costing {@code costCents} (the merchant's _cost). */
    void chat(String externalCustomerId, String idPrefix, String costCents, long... tokens) throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            events.add("{\"name\":\"chat.completion\",\"external_customer_id\":\"" + externalCustomerId + "\",\"external_id\":\""
                    + idPrefix + i + "\",\"metadata\":{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":"
                    + (tokens[i] - 100) + ",\"output_tokens\":100,\"total_tokens\":" + tokens[i] + "},\"_cost\":{\"amount\":"
                    + costCents + ",\"currency\":\"usd\"}}}");
        }
        BillingApi.Response response = billing.ingest(org.token(), "{\"events\":[" + String.join(",", events) + "]}");
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        assertThat(response.body().get("inserted").asInt()).isEqualTo(tokens.length);
    }

    JsonNode get(String path) throws Exception {
        BillingApi.Response response = billing.send("GET", path, org.token(), null);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    /** POSTs as the organisation and expects 201 Created; returns the created resource. */
    JsonNode post(String path, String body) throws IOException, InterruptedException {
        BillingApi.Response response = billing.send("POST", path, org.token(), body);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(201);
        return response.body();
    }
}
