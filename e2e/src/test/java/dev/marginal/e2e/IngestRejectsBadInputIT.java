package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear 4xx problem and changes nothing, on the real service and database. */
class IngestRejectsBadInputIT {

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);

    @Test
    void eventWithoutNameIsA422NamingTheFieldAndNothingIsWritten() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-bad-input");
        String body = """
                {"events":[
                  {"name":"ok","external_customer_id":"c1","external_id":"a"},
                  {"external_customer_id":"c1","external_id":"b"}
                ]}""";

        BillingApi.Response response = billing.ingest(org.token(), body);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("status").asInt()).isEqualTo(422);
        assertThat(response.body().get("type").asText()).isNotBlank();
        assertThat(response.body().toString()).contains("\"events\"", "1", "\"name\"");
        assertThat(eventsOf(org)).isZero();
    }

    @Test
    void oneFutureTimestampRejectsTheWholeBatch() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-future");
        String future = Instant.now().plus(1, ChronoUnit.DAYS).toString();
        String body = "{\"events\":["
                + "{\"name\":\"a\",\"external_customer_id\":\"c\",\"external_id\":\"1\"},"
                + "{\"name\":\"b\",\"external_customer_id\":\"c\",\"external_id\":\"2\"},"
                + "{\"name\":\"c\",\"external_customer_id\":\"c\",\"external_id\":\"3\",\"timestamp\":\"" + future + "\"}]}";

        BillingApi.Response response = billing.ingest(org.token(), body);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.body().toString()).contains("timestamp", "2");
        assertThat(eventsOf(org)).isZero();
    }

    @Test
    void malformedJsonIsAClientErrorNotAServerError() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-malformed");

        BillingApi.Response response = billing.ingest(org.token(), "{\"events\": [ {\"name\": ");

        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(eventsOf(org)).isZero();
    }

    @Test
    void missingOrUnknownTokenIs401() throws Exception {
        String body = "{\"events\":[{\"name\":\"a\",\"external_customer_id\":\"c\"}]}";

        BillingApi.Response missing = billing.ingest(null, body);
        BillingApi.Response unknown = billing.ingest("mgl_oat_not-a-real-token", body);

        assertThat(missing.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    private long eventsOf(BillingApi.Organization org) throws Exception {
        try (Connection db = stack.billingDatabase();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM events WHERE organization_id = ?::uuid")) {
            query.setString(1, org.id());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
