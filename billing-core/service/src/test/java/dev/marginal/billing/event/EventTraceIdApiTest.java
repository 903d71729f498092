package dev.marginal.billing.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

/** Each ingested event carries the trace id of the request that wrote it, so CDC carries it on. */
class EventTraceIdApiTest extends BillingApiTest {

    private static final String BATCH = """
            {"events":[{"name":"completion","external_customer_id":"cus_1","external_id":"a"},
                       {"name":"completion","external_customer_id":"cus_1","external_id":"b"}]}""";

    private static final String W3C_TRACE_ID = "[0-9a-f]{32}";
    private static final String ZERO_TRACE_ID = "0".repeat(32);

    private Reply ingest(Tenant tenant, String header, String value) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/events/ingest"))
                .header("Authorization", tenant.bearer())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BATCH));
        if (header != null) {
            request.header(header, value);
        }
        Reply reply = send(request.build());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply;
    }

    private List<String> traceIds(Tenant tenant) {
        return jdbc.sql("SELECT trace_id FROM events WHERE organization_id = ? ORDER BY external_id")
                .param(tenant.id()).query(String.class).list();
    }

    @Test
    void aW3cTraceparentGivesEveryEventOfTheBatchItsTraceId() {
        Tenant tenant = newTenant();
        ingest(tenant, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(traceIds(tenant)).containsExactly("4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void withoutTraceparentTheServiceStartsATraceOfItsOwn() {
        Tenant tenant = newTenant();
        Reply reply = ingest(tenant, "X-Request-Id", "req-checkout-7");
        assertThat(reply.raw().headers().firstValue("X-Request-Id")).hasValue("req-checkout-7");
        List<String> traceIds = traceIds(tenant);
        assertThat(traceIds.get(0)).matches(W3C_TRACE_ID).isNotEqualTo(ZERO_TRACE_ID);
        assertThat(traceIds).containsExactly(traceIds.get(0), traceIds.get(0));
    }

    @Test
    void twoRequestsWithoutTraceparentAreTwoTraces() {
        Tenant first = newTenant();
        Tenant second = newTenant();
        ingest(first, null, null);
        ingest(second, null, null);
        assertThat(traceIds(first).get(0)).isNotEqualTo(traceIds(second).get(0));
    }

    @Test
    void anInvalidTraceparentIsIgnoredNotRejected() {
        Tenant tenant = newTenant();
        ingest(tenant, "traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
        List<String> traceIds = traceIds(tenant);
        assertThat(traceIds.get(0)).matches(W3C_TRACE_ID).isNotEqualTo(ZERO_TRACE_ID);
        assertThat(traceIds).containsExactly(traceIds.get(0), traceIds.get(0));
    }

    @Test
    void aDuplicateKeepsTheTraceIdOfTheRequestThatFirstWroteIt() {
        Tenant tenant = newTenant();
        ingest(tenant, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ingest(tenant, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(traceIds(tenant)).containsExactly("4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
