package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulations' null scenario against orders billing-core itself produced: a merchant on a test
 * clock sells Starter ($29 a month, chat tokens on graduated tiers, 2 ¢ a summary) from 1 June
 * 2026; its renewals on 1 July and 1 August bill each month's usage in arrears. Simulating the
 * scenario file that states those prices over June and July must give exactly what was invoiced,
 * per customer and month ({@code --check-invoices} exits 0), and a scenario one dollar off must not.
 */
class NullScenarioOnTheStackIT {

    private static final String SCENARIO = """
            scenario: null-on-the-stack
            currency: usd
            meters:
              chat_tokens: { event: chat.completion, quantity: total_tokens }
              summaries:   { event: document.summary }
            plans:
              starter:
                base_fee: %d
                prices:
                  chat_tokens:
                    type: graduated
                    tiers:
                      - { up_to: 1000000,  unit_amount: 0 }
                      - { up_to: 20000000, unit_amount: 0.0004 }
                      - { up_to: inf,      unit_amount: 0.0003 }
                  summaries: { type: metered_unit, unit_amount: 2 }
            customers:
              default_plan: starter
            """;

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    private BillingApi.Organization org;
    private int events;

    @Test
    void theBaselineReproducesTheServicesOwnInvoicesAndAChangedPriceDoesNot() throws Exception {
        org = billing.newOrganization("e2e-null-scenario");
        expect(201, "POST", "/v1/test_helpers/test_clock", "{\"frozen_time\":\"2026-06-01T00:00:00Z\"}");
        String tokens = expect(201, "POST", "/v1/meters/", Merchant.TOKENS_METER).get("id").asText();
        String summaries = expect(201, "POST", "/v1/meters/", """
                {"name":"Summaries","filter":{"conjunction":"and","clauses":[
                   {"property":"name","operator":"eq","value":"document.summary"}]},
                 "aggregation":{"func":"count"},"unit":"scalar"}""").get("id").asText();
        String starter = expect(201, "POST", "/v1/products/", """
                {"name":"Starter","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":2900},
                  {"amount_type":"metered_tiered","meter_id":"%s","tiers":{"type":"graduated","tiers":[
                    {"bound":1000000,"unit_amount":"0"},{"bound":20000000,"unit_amount":"0.0004"},
                    {"bound":null,"unit_amount":"0.0003"}]}},
                  {"amount_type":"metered_unit","meter_id":"%s","unit_amount":"2"}]}""".formatted(tokens, summaries))
                .get("id").asText();
        for (String customer : List.of("acme-robotics", "globex-ai")) {
            expect(201, "POST", "/v1/customers/", "{\"email\":\"" + customer + "@example.com\",\"external_id\":\""
                    + customer + "\",\"metadata\":{\"sandbox_card\":\"ok\"}}");
            expect(201, "POST", "/v1/subscriptions/", "{\"product_id\":\"" + starter + "\",\"external_customer_id\":\""
                    + customer + "\"}");
        }

        advance("2026-06-30T12:00:00Z");
        chat("acme-robotics", "2026-06-05T10:00:00Z", 800_000);
        chat("acme-robotics", "2026-06-20T10:00:00Z", 2_700_000);
        summary("acme-robotics", "2026-06-21T10:00:00Z");
        summary("acme-robotics", "2026-06-22T10:00:00Z");
        summary("acme-robotics", "2026-06-30T11:59:59Z");
        summary("globex-ai", "2026-06-03T10:00:00Z");
        advance("2026-07-31T12:00:00Z");
        chat("acme-robotics", "2026-07-14T10:00:00Z", 25_000_000);
        chat("globex-ai", "2026-07-28T10:00:00Z", 1_000_001);
        advance("2026-08-01T12:00:00Z");

        // billing-core's own renewal on 1 July: 2,900 ahead plus June's usage behind —
        // 3,500,000 tokens: 1,000,000 free + 2,500,000 × 0.0004 ¢ = 1,000 ¢; 3 summaries × 2 ¢ = 6 ¢.
        JsonNode acmeOrders = expect(200, "GET", "/v1/orders/?external_customer_id=acme-robotics", null).get("items");
        List<Long> totals = new ArrayList<>();
        acmeOrders.forEach(order -> totals.add(order.get("total_amount").asLong()));
        assertThat(totals).contains(3_906L).hasSize(3);

        long arrived = warehouse.awaitCount("SELECT count(*) FROM marginal.analytics.usage_costs WHERE organization_id = ?",
                org.id(), n -> n >= events, Duration.ofMinutes(3));
        assertThat(arrived).as("every usage event in the warehouse").isEqualTo(events);

        SharedStack.CommandResult same = simulate(2900);
        assertThat(same.exitCode()).as(same.output()).isZero();
        assertThat(same.output()).contains("baseline against invoices: 4 invoiced customer-months, 0 differences");

        SharedStack.CommandResult dollarOff = simulate(3000);
        assertThat(dollarOff.exitCode()).as(dollarOff.output()).isEqualTo(1);
        assertThat(dollarOff.output()).contains("baseline against invoices: 4 invoiced customer-months, 4 differences");
    }

    private SharedStack.CommandResult simulate(long baseFee) throws Exception {
        Path scenario = Files.createTempFile("null-scenario-", ".yaml");
        try {
            Files.writeString(scenario, SCENARIO.formatted(baseFee));
            return stack.marginal(Duration.ofMinutes(3), "simulate", scenario.toString(), "--org", org.id(),
                    "--from", "2026-06-01", "--to", "2026-08-01", "--check-invoices");
        } finally {
            Files.deleteIfExists(scenario);
        }
    }

    private void advance(String to) throws Exception {
        billing.advanceTestClock(org, to);
    }

    private void chat(String customer, String timestamp, long totalTokens) throws Exception {
        ingest("{\"name\":\"chat.completion\",\"external_customer_id\":\"" + customer + "\",\"timestamp\":\"" + timestamp
                + "\",\"metadata\":{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":"
                + (totalTokens - 1_000) + ",\"output_tokens\":1000,\"total_tokens\":" + totalTokens
                + "},\"_cost\":{\"amount\":150,\"currency\":\"usd\"}}}");
    }

    private void summary(String customer, String timestamp) throws Exception {
        ingest("{\"name\":\"document.summary\",\"external_customer_id\":\"" + customer + "\",\"timestamp\":\""
                + timestamp + "\",\"metadata\":{\"_cost\":{\"amount\":0.5,\"currency\":\"usd\"}}}");
    }

    private void ingest(String event) throws Exception {
        JsonNode result = expect(200, "POST", "/v1/events/ingest", "{\"events\":[" + event + "]}");
        assertThat(result.get("inserted").asInt()).isEqualTo(1);
        events++;
    }

    private JsonNode expect(int status, String method, String path, String body) throws Exception {
        return billing.expect(org, status, method, path, body);
    }
}
