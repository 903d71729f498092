package dev.marginal.billing.meter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

class MeterApiTest extends BillingApiTest {

    private static final String TOKENS_METER = """
            {"name":"LLM tokens","filter":{"conjunction":"and","clauses":[
               {"property":"name","operator":"eq","value":"completion"}]},
             "aggregation":{"func":"sum","property":"metadata._llm.total_tokens"},"unit":"token"}""";

    private static String completion(String customer, String timestamp, long tokens) {
        return "{\"name\":\"completion\",\"external_customer_id\":\"" + customer + "\",\"timestamp\":\"" + timestamp
                + "\",\"metadata\":{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":" + tokens
                + ",\"output_tokens\":0,\"total_tokens\":" + tokens + "}}}";
    }

    @Test
    void quantitiesPerMonthForAScriptedQuarter() {
        Tenant tenant = newTenant();
        String meter = post("/v1/meters/", tenant.bearer(), TOKENS_METER).json().get("id").stringValue();
        post("/v1/events/ingest", tenant.bearer(), "{\"events\":[" + String.join(",",
                completion("ada", "2025-01-31T23:59:59Z", 1000),
                completion("ada", "2025-02-01T00:00:00Z", 250),
                completion("grace", "2025-02-14T12:00:00Z", 750),
                completion("ada", "2025-04-01T00:00:00Z", 99)) + "]}");

        Reply all = get("/v1/meters/" + meter + "/quantities?start_timestamp=2025-01-15T00:00:00Z"
                + "&end_timestamp=2025-03-15T00:00:00Z&interval=month", tenant.bearer());
        Reply ada = get("/v1/meters/" + meter + "/quantities?start_timestamp=2025-01-15T00:00:00Z"
                + "&end_timestamp=2025-03-15T00:00:00Z&interval=month&external_customer_id=ada", tenant.bearer());

        assertThat(all.status()).as(all.body()).isEqualTo(200);
        // January 1,000; February 250 + 750 = 1,000; March nothing; April is outside the range.
        assertThat(all.json().get("quantities").findValuesAsString("timestamp"))
                .containsExactly("2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z");
        assertThat(all.json().get("quantities").findValues("quantity")).extracting(n -> n.intValue())
                .containsExactly(1000, 1000, 0);
        assertThat(all.json().get("total").intValue()).isEqualTo(2000);
        assertThat(ada.json().get("total").intValue()).isEqualTo(1250);
    }

    @Test
    void anArchivedMeterDropsOutOfCustomerMeters() {
        Tenant tenant = newTenant();
        String meter = post("/v1/meters/", tenant.bearer(), TOKENS_METER).json().get("id").stringValue();
        post("/v1/customers/", tenant.bearer(), "{\"email\":\"ada@example.com\",\"external_id\":\"ada\"}");

        assertThat(get("/v1/customer-meters/", tenant.bearer()).json().get("pagination").get("total_count").intValue())
                .isEqualTo(1);
        Reply archived = patch("/v1/meters/" + meter, tenant.bearer(), "{\"is_archived\":true}");

        assertThat(archived.json().get("archived_at").isNull()).isFalse();
        assertThat(get("/v1/customer-meters/", tenant.bearer()).json().get("pagination").get("total_count").intValue())
                .isZero();
    }

    @Test
    void aBadMeterIsRefusedAndNothingIsWritten() {
        Tenant tenant = newTenant();

        Reply reply = post("/v1/meters/", tenant.bearer(), """
                {"name":"x","filter":{"conjunction":"xor","clauses":[]},"aggregation":{"func":"median"}}""");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").findValuesAsString("type"))
                .containsExactlyInAnyOrder("string_too_short", "enum", "union_tag_invalid");
        assertThat(jdbc.sql("SELECT count(*) FROM meters WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single()).isZero();
    }

    @Test
    void anotherOrganizationsMeterIsNotFound() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();
        String meter = post("/v1/meters/", acme.bearer(), TOKENS_METER).json().get("id").stringValue();

        Reply mine = get("/v1/meters/" + meter, acme.bearer());
        assertThat(mine.json().get("filter").get("clauses").get(0).get("operator").stringValue()).isEqualTo("eq");
        assertThat(mine.json().has("filter_rule")).as("engine values stay internal").isFalse();
        assertThat(get("/v1/meters/" + meter, globex.bearer()).status()).isEqualTo(404);
        assertThat(get("/v1/meters/" + meter + "/quantities?start_timestamp=2025-01-01T00:00:00Z"
                + "&end_timestamp=2025-01-02T00:00:00Z&interval=day", globex.bearer()).status()).isEqualTo(404);
    }

    @Test
    void tooManyPeriodsIsAValidationProblemNotAnOutage() {
        Tenant tenant = newTenant();
        String meter = post("/v1/meters/", tenant.bearer(), TOKENS_METER).json().get("id").stringValue();

        Reply reply = get("/v1/meters/" + meter + "/quantities?start_timestamp=2000-01-01T00:00:00Z"
                + "&end_timestamp=2025-01-01T00:00:00Z&interval=hour", tenant.bearer());

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"query\",\"interval\"]");
    }
}
