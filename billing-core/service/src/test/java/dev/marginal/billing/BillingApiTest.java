package dev.marginal.billing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.stack.PostgresServer;
import tools.jackson.databind.JsonNode;

/** The running service over real HTTP, on the shared real PostgreSQL. */
@ExtendWith(TestPostgres.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.level.dev.marginal.billing.request=warn")
public abstract class BillingApiTest {

    protected static final String PLATFORM_TOKEN = "test-platform-token";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Value("${local.server.port}")
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestPostgres::jdbcUrl);
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
        registry.add("spring.datasource.password", () -> PostgresServer.PASSWORD);
        registry.add("marginal.platform.token", () -> PLATFORM_TOKEN);
        // Tests move the clock and sweep themselves; a background sweep would race their assertions.
        registry.add("marginal.renewal.enabled", () -> "false");
        registry.add("marginal.test-clocks.enabled", () -> "true");
    }

    /** A response with its body parsed the exact way the service parses (null when not JSON). */
    public record Reply(int status, String contentType, String body, JsonNode json, HttpResponse<String> raw) {
    }

    protected Reply post(String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    protected Reply get(String path, String authorization) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).GET().build());
    }

    protected Reply patch(String path, String authorization, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    protected Reply delete(String path, String authorization) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).DELETE().build());
    }

    protected Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            JsonNode json = contentType.contains("json") && !response.body().isEmpty()
                    ? JsonBody.parse(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)) : null;
            return new Reply(response.statusCode(), contentType, response.body(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A new organisation of its own per test, so tests never see each other's events. */
    protected Tenant newTenant() {
        String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
        Reply reply = post("/v1/platform/organizations", "Bearer " + PLATFORM_TOKEN,
                "{\"name\":\"Tenant " + slug + "\",\"slug\":\"" + slug + "\"}");
        if (reply.status() != 201) {
            throw new IllegalStateException("could not create a tenant: " + reply.status() + " " + reply.body());
        }
        return new Tenant(UUID.fromString(reply.json().get("id").stringValue()), slug,
                reply.json().get("token").stringValue());
    }

    protected record Tenant(UUID id, String slug, String token) {
        public String bearer() {
            return "Bearer " + token;
        }
    }

    protected long eventCount(UUID organizationId) {
        return jdbc.sql("SELECT count(*) FROM events WHERE organization_id = ?").param(organizationId)
                .query(Long.class).single();
    }
}
