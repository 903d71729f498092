package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marginal.stack.Directories;
import dev.marginal.stack.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling update and its rollback, on one machine: the previous release's billing-core
 * (deploy/releases/previous, built from its own sources) runs on the schema this release's
 * migrations leave, beside this release's service, on one real PostgreSQL.
 *
 * <p>This release's service starts first on an empty database and migrates it with its own Flyway.
 * Then the previous release's jar starts on that schema, exactly as it shipped: its Flyway sees
 * migrations it does not know, which it must ignore (Flyway's {@code ignoreMigrationPatterns}
 * default {@code *:future}), not refuse. Through it a merchant does what that release could do —
 * customer, product, subscription (an order paid), usage events, retried — and this release reads
 * all of it and adds to it (an invoice number on the old release's order, events with trace ids),
 * which the previous release must read in turn. Last, this release stops (the rollback) and the
 * previous one keeps taking events.
 */
class PreviousReleaseOnNewSchemaIT {

    // 17xxx: below Linux's ephemeral range and apart from every other test's ports.
    static final int PG_PORT = 17432;
    static final int PREVIOUS_PORT = 17080;
    static final int CURRENT_PORT = 17081;
    static final String PLATFORM_TOKEN = "release-it-platform-token";

    static Path home;
    static PostgresServer postgres;
    static final List<JvmProcess> services = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        home = Path.of(System.getProperty("marginal.deploy.it.home", "target/it-home")).toAbsolutePath().resolve("previous-release");
        Directories.deleteTree(home);
        Files.createDirectories(home);
        postgres = PostgresServer.startForTests(home, PG_PORT);
    }

    @AfterAll
    static void stop() {
        services.forEach(JvmProcess::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void thePreviousReleaseRunsOnTheNewSchemaBesideThisOneAndAfterItsRollback() throws Exception {
        PreviousRelease release = PreviousRelease.named();
        Path work = Path.of(System.getProperty("marginal.previous.work", "target/previous-release")).toAbsolutePath();
        Path previousJar = release.serviceJar(work);
        Path currentJar = DeployFiles.root().resolve(PreviousRelease.SERVICE_JAR);
        assertThat(currentJar).as("this release's service jar (built by the reactor)").isRegularFile();

        // This release migrates the empty database with its own Flyway.
        JvmProcess current = startService("current", currentJar, CURRENT_PORT);
        List<ExpandContract.Migration> migrations = PreviousRelease.currentMigrations();
        int newest = migrations.get(migrations.size() - 1).version();
        int previousNewest = release.migrations().get(release.migrations().size() - 1).version();
        assertThat(appliedVersions()).as("flyway_schema_history after this release's start")
                .contains(Integer.toString(newest)).doesNotContainNull();

        // The previous release, unchanged, on that schema.
        JvmProcess previous = startService("previous", previousJar, PREVIOUS_PORT);
        BillingHttp old = new BillingHttp("previous release " + release.shortCommit(), PREVIOUS_PORT);
        BillingHttp now = new BillingHttp("this release", CURRENT_PORT);
        assertThat(appliedVersions()).as("the previous release (last migration V" + previousNewest + ") applied nothing and"
                + " undid nothing").hasSize(migrations.size());

        // A merchant's first day, through the previous release.
        JsonNode org = old.post(PLATFORM_TOKEN, "/v1/platform/organizations", "{\"name\":\"Release Smoke\",\"slug\":\"release-smoke\"}").expect(201);
        String token = org.get("token").asText();
        JsonNode customer = old.post(token, "/v1/customers/", """
                {"email":"ada@example.com","name":"Ada Lovelace","external_id":"ada","billing_address":{"country":"JP"}}""").expect(201);
        JsonNode product = old.post(token, "/v1/products/", """
                {"name":"Pro","recurring_interval":"month","prices":[{"amount_type":"fixed","price_currency":"usd","price_amount":2900}]}""")
                .expect(201);
        String subscriptionBody = "{\"product_id\":\"" + product.get("id").asText() + "\",\"external_customer_id\":\"ada\"}";
        JsonNode subscription = old.post(token, "/v1/subscriptions/", subscriptionBody, Map.of("Idempotency-Key", "release-sub-1")).expect(201);
        assertThat(subscription.get("status").asText()).isEqualTo("active");
        assertThat(old.post(token, "/v1/subscriptions/", subscriptionBody, Map.of("Idempotency-Key", "release-sub-1")).expect(201)
                .get("id")).as("a retried creation answers the first subscription").isEqualTo(subscription.get("id"));

        JsonNode ingested = old.post(token, "/v1/events/ingest", events(1, 3)).expect(200);
        assertThat(ingested.get("inserted").asInt()).isEqualTo(3);
        assertThat(old.post(token, "/v1/events/ingest", events(1, 3)).expect(200).get("duplicates").asInt()).isEqualTo(3);

        JsonNode orders = old.get(token, "/v1/orders/?external_customer_id=ada").expect(200).get("items");
        assertThat(orders).hasSize(1);
        JsonNode order = orders.get(0);
        // $29.00 for the first month; Japan is a country without a tax row: nothing collected.
        assertThat(order.get("status").asText()).isEqualTo("paid");
        assertThat(order.get("billing_reason").asText()).isEqualTo("subscription_create");
        assertThat(order.get("net_amount").asLong()).isEqualTo(2900);
        assertThat(order.get("tax_amount").asLong()).isZero();
        assertThat(order.get("total_amount").asLong()).isEqualTo(2900);
        String orderId = order.get("id").asText();

        // This release reads what the previous one wrote, and de-duplicates against it.
        assertThat(now.get(token, "/v1/customers/external/ada").expect(200).get("id")).isEqualTo(customer.get("id"));
        JsonNode sameOrder = now.get(token, "/v1/orders/" + orderId).expect(200);
        assertThat(sameOrder.get("total_amount").asLong()).isEqualTo(2900);
        assertThat(sameOrder.get("subscription").get("id")).isEqualTo(subscription.get("id"));
        assertThat(now.get(token, "/v1/events/?external_customer_id=ada").expect(200).get("pagination").get("total_count").asInt())
                .isEqualTo(3);
        JsonNode again = now.post(token, "/v1/events/ingest", events(1, 4)).expect(200);
        assertThat(again.get("duplicates").asInt()).isEqualTo(3);
        assertThat(again.get("inserted").asInt()).isEqualTo(1);

        // ...and writes what only it has on the old release's rows: an invoice number on its order.
        now.post(token, "/v1/orders/" + orderId + "/invoice", null).expect(202);
        assertThat(now.get(token, "/v1/orders/" + orderId).expect(200).get("is_invoice_generated").asBoolean()).isTrue();
        assertThat(now.get(token, "/v1/orders/" + orderId + "/invoice").expect(200).get("url").asText()).contains(orderId);

        // The previous release reads rows this one wrote or changed (trace ids, invoice columns).
        assertThat(old.get(token, "/v1/events/?external_customer_id=ada").expect(200).get("pagination").get("total_count").asInt())
                .isEqualTo(4);
        JsonNode orderSeenByOld = old.get(token, "/v1/orders/" + orderId).expect(200);
        assertThat(orderSeenByOld.get("status").asText()).isEqualTo("paid");
        assertThat(orderSeenByOld.get("total_amount").asLong()).isEqualTo(2900);
        assertThat(old.get(token, "/v1/subscriptions/" + subscription.get("id").asText()).expect(200).get("status").asText())
                .isEqualTo("active");

        // Rollback: this release goes, the previous one carries on alone.
        current.close();
        previous.requireAlive();
        assertThat(old.post(token, "/v1/events/ingest", events(1, 6)).expect(200).get("inserted").asInt()).isEqualTo(2);
        assertThat(old.get(token, "/v1/orders/?external_customer_id=ada").expect(200).get("items")).hasSize(1);
        assertThat(old.get(token, "/v1/customers/").expect(200).get("pagination").get("total_count").asInt()).isEqualTo(1);
    }

    /** Events {@code from..to} for customer ada, each with its own external id, half with an LLM cost. */
    static String events(int from, int to) {
        StringBuilder json = new StringBuilder("{\"events\":[");
        for (int i = from; i <= to; i++) {
            json.append(i > from ? "," : "").append("{\"name\":\"chat.completion\",\"external_customer_id\":\"ada\",")
                    .append("\"external_id\":\"release-ev-").append(i).append("\",\"metadata\":{\"_llm\":{\"vendor\":\"openai\",")
                    .append("\"model\":\"gpt-4o\",\"input_tokens\":1200,\"output_tokens\":300,\"total_tokens\":1500}")
                    .append(i % 2 == 0 ? ",\"_cost\":{\"amount\":0.6,\"currency\":\"usd\"}" : "").append("}}");
        }
        return json.append("]}").toString();
    }

    /** One billing-core jar as the stack runs it (environment of docs/architecture.md), ready when healthy. */
    static JvmProcess startService(String name, Path jar, int port) {
        Map<String, String> env = Map.of(
                "MARGINAL_DB_URL", postgres.jdbcUrl("marginal"),
                "MARGINAL_DB_USER", PostgresServer.USER,
                "MARGINAL_DB_PASSWORD", PostgresServer.PASSWORD,
                "MARGINAL_BILLING_PORT", Integer.toString(port),
                "MARGINAL_PLATFORM_TOKEN", PLATFORM_TOKEN,
                "MARGINAL_INVOICE_SIGNING_SECRET", "release-it-invoice-signing-secret-of-32-bytes-or-more");
        JvmProcess service = JvmProcess.start(name, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString()), env, home.resolve("logs").resolve(name + ".log"));
        services.add(service);
        BillingHttp http = new BillingHttp(name, port);
        Await.until(name + " release's billing-core healthy on port " + port + " (log: " + service.log() + ")", Duration.ofMinutes(3), () -> {
            service.requireAlive();
            return http.healthy();
        });
        return service;
    }

    static List<String> appliedVersions() throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rows.next()) {
                assertThat(rows.getBoolean("success")).as("migration V" + rows.getString("version") + " succeeded").isTrue();
                versions.add(rows.getString("version"));
            }
        }
        return versions;
    }
}
