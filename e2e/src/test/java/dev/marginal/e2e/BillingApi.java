package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** billing-core over HTTP, as a merchant's backend or Polar's SDK talks to it. */
public final class BillingApi {

    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SharedStack stack;

    public BillingApi(SharedStack stack) {
        this.stack = stack;
    }

    public record Organization(String id, String slug, String token) {}

    public record Response(int status, String contentType, JsonNode body) {}

    /** A fresh organisation of its own for one test, created through the platform API. */
    public Organization newOrganization(String purpose) throws IOException, InterruptedException {
        String slug = purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = send("POST", "/v1/platform/organizations", stack.platformToken(),
                "{\"name\":\"" + purpose + "\",\"slug\":\"" + slug + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("creating organisation " + slug + " answered " + created.status() + ": " + created.body());
        }
        return new Organization(created.body().get("id").asText(), slug, created.body().get("token").asText());
    }

    public Response ingest(String token, String body) throws IOException, InterruptedException {
        return send("POST", "/v1/events/ingest", token, body);
    }

    public Response send(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.billingUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        JsonNode json = text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json);
    }

    /** Sends as {@code org}, fails the test unless the answer is {@code status}, and returns its body. */
    public JsonNode expect(Organization org, int status, String method, String path, String body)
            throws IOException, InterruptedException {
        Response response = send(method, path, org.token(), body);
        assertThat(response.status()).as(method + " " + path + ": " + response.body())
                .isEqualTo(status);
        return response.body();
    }

    /** Moves {@code org}'s test clock to {@code to}; returns what the advance swept (renewals, disputes). */
    public JsonNode advanceTestClock(Organization org, String to) throws IOException, InterruptedException {
        return expect(org, 200, "POST", "/v1/test_helpers/test_clock/advance", "{\"frozen_time\":\"" + to + "\"}");
    }
}
