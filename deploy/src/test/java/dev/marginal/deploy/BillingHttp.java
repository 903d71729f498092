package dev.marginal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** billing-core's HTTP API as a merchant's backend calls it, for one service instance. */
final class BillingHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final String baseUrl;

    /** {@code name} says which service answered, in failures. */
    BillingHttp(String name, int port) {
        this.name = name;
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    record Answer(String request, int status, JsonNode body) {
        /** The body, once the status is the one expected; otherwise fails with what came back. */
        JsonNode expect(int expected) {
            if (status != expected) {
                throw new AssertionError(request + ": expected " + expected + " but got " + status + ": " + body);
            }
            return body;
        }
    }

    Answer get(String token, String path) {
        return send("GET", path, token, null, Map.of());
    }

    Answer post(String token, String path, String json) {
        return send("POST", path, token, json, Map.of());
    }

    Answer post(String token, String path, String json, Map<String, String> headers) {
        return send("POST", path, token, json, headers);
    }

    boolean healthy() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Answer send(String method, String path, String token, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode body = text == null || text.isBlank() ? DeployFiles.JSON.nullNode() : DeployFiles.JSON.readTree(text);
            return new Answer(name + ": " + method + " " + path, response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
