package dev.marginal.billing.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

class HttpContractApiTest extends BillingApiTest {

    private Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    @Test
    void unknownRoutesAreNotFoundProblems() {
        Reply reply = get("/v1/nothing-here");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/not-found");
        assertThat(reply.json().get("instance").stringValue()).isEqualTo("/v1/nothing-here");
    }

    @Test
    void aWrongMethodIsAMethodNotAllowedProblem() {
        Reply reply = send(HttpRequest.newBuilder(uri("/v1/events/ingest"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/method-not-allowed");
        assertThat(reply.json().get("error").stringValue()).isEqualTo("MethodNotAllowed");
        assertThat(reply.raw().headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
    }

    @Test
    void healthAndPrometheusAreServed() {
        Reply health = get("/actuator/health");
        Reply readiness = get("/actuator/health/readiness");
        Reply prometheus = get("/actuator/prometheus");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").stringValue()).isEqualTo("UP");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("http_server_requests_seconds");
        // The latency SLOs in deploy/slo count requests under 250 ms and 500 ms from these buckets.
        assertThat(prometheus.body()).containsPattern("http_server_requests_seconds_bucket\\{[^}]*le=\"0\\.25\"")
                .containsPattern("http_server_requests_seconds_bucket\\{[^}]*le=\"0\\.5\"");
    }

    @Test
    void theRequestIdIsEchoedOrMinted() {
        Reply given = send(HttpRequest.newBuilder(uri("/actuator/health")).header("X-Request-Id", "req-123").GET().build());
        Reply minted = get("/actuator/health");

        assertThat(given.raw().headers().firstValue("X-Request-Id")).contains("req-123");
        assertThat(minted.raw().headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
    }
}
