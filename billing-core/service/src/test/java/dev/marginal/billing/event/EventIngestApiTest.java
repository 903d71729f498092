package dev.marginal.billing.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;
import dev.marginal.billing.http.JsonBody;
import tools.jackson.databind.JsonNode;

class EventIngestApiTest extends BillingApiTest {

    private static final String INGEST = "/v1/events/ingest";

    private Reply ingest(Tenant tenant, String... events) {
        return post(INGEST, tenant.bearer(), "{\"events\":[" + String.join(",", events) + "]}");
    }

    private static String event(String externalId) {
        return "{\"name\":\"completion\",\"external_customer_id\":\"cus_42\",\"external_id\":\"" + externalId + "\"}";
    }

    private static void assertCounts(Reply reply, int inserted, int duplicates) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("inserted").intValue()).isEqualTo(inserted);
        assertThat(reply.json().get("duplicates").intValue()).isEqualTo(duplicates);
    }

    @Test
    void aValidBatchIsStoredWithEveryFieldExactlyAsSent() {
        Tenant tenant = newTenant();
        String metadata = """
                {"_llm":{"vendor":"openai","model":"gpt-4o","input_tokens":812,"output_tokens":95,"total_tokens":907},
                 "_cost":{"amount":0.000123456789,"currency":"usd"},
                 "feature":"summarise","latency_ms":1234,"ratio":1.50,"tags":["a","b"],"nested":{"ok":true}}""";
        String customerId = "0b6c3a8e-3f0e-4a59-9d1b-6f8a3c2e1d4f";
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);

        Reply reply = ingest(tenant,
                "{\"name\":\"completion\",\"external_customer_id\":\"cus_42\",\"external_id\":\"evt_1\","
                        + "\"timestamp\":\"2025-03-14T10:26:53.123456+01:00\",\"metadata\":" + metadata + "}",
                "{\"name\":\"embedding\",\"customer_id\":\"" + customerId + "\"}");

        assertCounts(reply, 2, 0);
        Map<String, Object> first = jdbc.sql("""
                        SELECT organization_id, customer_id, external_customer_id, external_id, name, timestamp,
                               metadata::text AS metadata, (metadata->'_cost'->>'amount')::numeric AS cost,
                               source, ingested_at
                        FROM events WHERE organization_id = ? AND external_id = 'evt_1'""")
                .param(tenant.id()).query().singleRow();
        assertThat(first.get("organization_id")).isEqualTo(tenant.id());
        assertThat(first.get("customer_id")).isNull();
        assertThat(first.get("external_customer_id")).isEqualTo("cus_42");
        assertThat(first.get("name")).isEqualTo("completion");
        // 10:26:53.123456 at +01:00 is 09:26:53.123456 UTC, to the microsecond.
        assertThat(instant(first.get("timestamp"))).isEqualTo(Instant.parse("2025-03-14T09:26:53.123456Z"));
        assertThat(parse((String) first.get("metadata"))).isEqualTo(parse(metadata));
        assertThat((BigDecimal) first.get("cost")).isEqualTo(new BigDecimal("0.000123456789"));
        assertThat(first.get("source")).isEqualTo("user");
        assertThat(instant(first.get("ingested_at"))).isAfterOrEqualTo(before.minusSeconds(1));

        Map<String, Object> second = jdbc.sql("""
                        SELECT customer_id, external_customer_id, external_id, timestamp, metadata::text AS metadata
                        FROM events WHERE organization_id = ? AND name = 'embedding'""")
                .param(tenant.id()).query().singleRow();
        assertThat(second.get("customer_id")).isEqualTo(UUID.fromString(customerId));
        assertThat(second.get("external_customer_id")).isNull();
        assertThat(second.get("external_id")).isNull();
        assertThat(second.get("metadata")).isEqualTo("{}");
        // No timestamp sent: the event happened when it arrived.
        assertThat(instant(second.get("timestamp"))).isBetween(before.minusSeconds(1), Instant.now());
    }

    @Test
    void duplicateExternalIdsInOneBatchAreCountedOnce() {
        Tenant tenant = newTenant();

        Reply reply = ingest(tenant,
                "{\"name\":\"first\",\"external_customer_id\":\"cus_42\",\"external_id\":\"evt_a\"}",
                "{\"name\":\"second\",\"external_customer_id\":\"cus_42\",\"external_id\":\"evt_a\"}",
                event("evt_b"));

        assertCounts(reply, 2, 1);
        assertThat(eventCount(tenant.id())).isEqualTo(2);
        assertThat(jdbc.sql("SELECT name FROM events WHERE organization_id = ? AND external_id = 'evt_a'")
                .param(tenant.id()).query(String.class).single()).isEqualTo("first");
    }

    @Test
    void ingestIsCountedInPrometheusByResultAndBatchSize() {
        Tenant tenant = newTenant();
        double insertedBefore = metric("marginal_ingest_events_total\\{result=\"inserted\"\\}");
        double duplicatesBefore = metric("marginal_ingest_events_total\\{result=\"duplicate\"\\}");
        double batchesOfTenBefore = metric("marginal_ingest_batch_events_bucket\\{le=\"10\\.0\"\\}");

        assertCounts(ingest(tenant, event("m1"), event("m2"), event("m3")), 3, 0);
        assertCounts(ingest(tenant, event("m1"), event("m4")), 1, 1);

        // Other tests may ingest meanwhile: at least this test's counts were added.
        assertThat(metric("marginal_ingest_events_total\\{result=\"inserted\"\\}") - insertedBefore).isGreaterThanOrEqualTo(4);
        assertThat(metric("marginal_ingest_events_total\\{result=\"duplicate\"\\}") - duplicatesBefore).isGreaterThanOrEqualTo(1);
        assertThat(metric("marginal_ingest_batch_events_bucket\\{le=\"10\\.0\"\\}") - batchesOfTenBefore).isGreaterThanOrEqualTo(2);
        // The database pool is exported too (issue 9's "DB pool").
        assertThat(prometheus()).contains("hikaricp_connections_active");
    }

    private String prometheus() {
        return send(java.net.http.HttpRequest.newBuilder(uri("/actuator/prometheus")).GET().build()).body();
    }

    private double metric(String series) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + series + " (\\S+)$")
                .matcher(prometheus());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void externalIdsSeenInAnEarlierBatchAreDuplicates() {
        Tenant tenant = newTenant();

        assertCounts(ingest(tenant, event("evt_a"), event("evt_b")), 2, 0);
        assertCounts(ingest(tenant, event("evt_b"), event("evt_c")), 1, 1);
        assertCounts(ingest(tenant, event("evt_a"), event("evt_b"), event("evt_c")), 0, 3);

        assertThat(eventCount(tenant.id())).isEqualTo(3);
    }

    @Test
    void eventsWithoutAnExternalIdAreNeverDuplicates() {
        Tenant tenant = newTenant();
        String anonymous = "{\"name\":\"completion\",\"external_customer_id\":\"cus_42\"}";

        assertCounts(ingest(tenant, anonymous, anonymous), 2, 0);
        assertCounts(ingest(tenant, anonymous), 1, 0);
    }

    @Test
    void externalIdsAreScopedToTheirOrganization() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();

        assertCounts(ingest(acme, event("evt_1")), 1, 0);
        assertCounts(ingest(globex, event("evt_1")), 1, 0);
    }

    @Test
    void oneBadEventInABatchOfOneHundredWritesNothing() {
        Tenant tenant = newTenant();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(i == 63
                    ? "{\"name\":\"completion\",\"external_customer_id\":\"cus_42\",\"timestamp\":\"not a time\"}"
                    : event("evt_" + i));
        }

        Reply reply = ingest(tenant, events.toArray(String[]::new));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/validation-error");
        assertThat(reply.json().get("status").intValue()).isEqualTo(422);
        // Polar's (FastAPI's) shape: detail is the list of errors, so Polar's SDKs read it.
        assertThat(reply.json().get("error").stringValue()).isEqualTo("RequestValidationError");
        JsonNode error = reply.json().get("detail").get(0);
        assertThat(error.get("loc").toString()).isEqualTo("[\"body\",\"events\",63,\"timestamp\"]");
        assertThat(error.get("type").stringValue()).isEqualTo("datetime_parsing");
        assertThat(eventCount(tenant.id())).isZero();
    }

    @Test
    void aTimestampInTheFutureIsRejected() {
        Tenant tenant = newTenant();
        String inFiveMinutes = OffsetDateTime.now().plusMinutes(5).toString();

        Reply reply = ingest(tenant, event("evt_1"),
                "{\"name\":\"completion\",\"external_customer_id\":\"cus_42\",\"timestamp\":\"" + inFiveMinutes + "\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"events\",1,\"timestamp\"]");
        assertThat(eventCount(tenant.id())).isZero();
    }

    @Test
    void aMissingUnknownOrRevokedTokenIsUnauthorized() {
        Tenant tenant = newTenant();
        String body = "{\"events\":[" + event("evt_1") + "]}";

        Reply missing = post(INGEST, null, body);
        Reply unknown = post(INGEST, "Bearer mgl_oat_" + "x".repeat(43), body);
        Reply garbage = post(INGEST, "Bearer nope", body);
        jdbc.sql("UPDATE organization_access_tokens SET revoked_at = now() WHERE organization_id = ?")
                .param(tenant.id()).update();
        Reply revoked = post(INGEST, tenant.bearer(), body);

        for (Reply reply : List.of(missing, unknown, garbage, revoked)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/unauthorized");
            assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
        }
        assertThat(eventCount(tenant.id())).isZero();
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        Tenant tenant = newTenant();

        for (String body : List.of("{\"events\": [", "events=1", "{\"events\":[]} trailing", "")) {
            Reply reply = post(INGEST, tenant.bearer(), body);

            assertThat(reply.status()).as(body).isBetween(400, 499);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("type").stringValue()).startsWith("https://marginal.dev/problems/");
        }
        assertThat(post(INGEST, tenant.bearer(), "{\"events\": [").json().get("type").stringValue())
                .isEqualTo("https://marginal.dev/problems/malformed-json");
    }

    @Test
    void aBodyOverFiveMegabytesIsTooLarge() {
        Tenant tenant = newTenant();
        String padding = "x".repeat(EventIngestController.MAX_BODY_BYTES);

        Reply reply = ingest(tenant, "{\"name\":\"" + padding + "\",\"external_customer_id\":\"cus_42\"}");

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/payload-too-large");
    }

    @Test
    void aFullBatchOfTenThousandEventsIsStoredInOneRequest() {
        Tenant tenant = newTenant();
        String[] events = new String[EventBatchReader.MAX_EVENTS];
        for (int i = 0; i < events.length; i++) {
            events[i] = "{\"name\":\"completion\",\"external_customer_id\":\"cus_" + (i % 50) + "\",\"external_id\":\"evt_"
                    + i + "\",\"metadata\":{\"_cost\":{\"amount\":0.0375,\"currency\":\"usd\"}}}";
        }

        assertCounts(ingest(tenant, events), 10_000, 0);
        // 10,000 × 0.0375 cents = 375 cents, summed exactly by PostgreSQL.
        assertThat(jdbc.sql("SELECT sum((metadata->'_cost'->>'amount')::numeric) FROM events WHERE organization_id = ?")
                .param(tenant.id()).query(BigDecimal.class).single()).isEqualByComparingTo("375");
    }

    private static Instant instant(Object timestamp) {
        if (timestamp instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        return ((OffsetDateTime) timestamp).toInstant();
    }

    private static JsonNode parse(String json) {
        return JsonBody.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
