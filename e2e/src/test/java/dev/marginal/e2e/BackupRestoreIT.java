package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marginal.stack.Directories;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's restore from backup, on real stacks: {@code bin/marginal backup} of the shared stack,
 * then {@code bin/marginal restore} into an empty home on other ports — a second, whole stack — must
 * serve the same billing data to the same token, rebuild the warehouse from the restored database
 * (the analyst granted before the backup logs in with the same password and sees its organisation's
 * events, and only those), and reconcile exactly; then {@code bin/marginal rebuild} on that stack
 * derives its warehouse again from its database, and the same holds.
 */
class BackupRestoreIT {

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    @Test
    void aBackupRestoredIntoAnEmptyHomeServesTheSameDataAndRebuildsTheWarehouse() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-backup");
        billing.expect(org, 201, "POST", "/v1/customers/", "{\"email\":\"ada@example.com\",\"external_id\":\"ada\"}");
        JsonNode ingested = billing.expect(org, 200, "POST", "/v1/events/ingest", """
                {"events":[
                  {"name":"chat.completion","external_customer_id":"ada","external_id":"b-1","metadata":{"_cost":{"amount":25,"currency":"usd"}}},
                  {"name":"chat.completion","external_customer_id":"ada","external_id":"b-2","metadata":{"_cost":{"amount":50,"currency":"usd"}}},
                  {"name":"embedding","external_customer_id":"ada","external_id":"b-3"}]}""");
        assertThat(ingested.get("inserted").asInt()).isEqualTo(3);
        String events = "SELECT count(*) FROM marginal.raw.events WHERE organization_id = ?";
        assertThat(warehouse.awaitCount(events, org.id(), n -> n == 3, Duration.ofMinutes(3))).isEqualTo(3);
        SharedStack.CommandResult granted = stack.marginal(Duration.ofMinutes(2), "analyst", "e2e-backup-analyst", org.id());
        assertThat(granted.exitCode()).as(granted.output()).isZero();

        Path backup = stack.home().resolveSibling(stack.home().getFileName() + "-backup");
        Directories.deleteTree(backup);
        SharedStack.CommandResult backedUp = stack.marginal(Duration.ofMinutes(5), "backup", backup.toString());
        assertThat(backedUp.exitCode()).as(backedUp.output()).isZero();
        assertThat(backup.resolve("marginal.dump")).isNotEmptyFile();
        assertThat(Files.readAllLines(backup.resolve("analysts.tsv"))).contains("e2e-backup-analyst\t" + org.id());
        assertThat(backup.resolve("home/platform-token")).exists();

        Path home = stack.home().resolveSibling(stack.home().getFileName() + "-restored");
        Directories.deleteTree(home);
        Map<String, String> restored = restoredStack(home);
        try {
            SharedStack.CommandResult refusedNothing = stack.marginal(restored, Duration.ofMinutes(10), "restore", backup.toString());
            assertThat(refusedNothing.exitCode()).as(refusedNothing.output()).isZero();

            // billing-core on the restored stack: the same organisation token reads the same customer.
            HttpResponse<String> customers = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + restored.get("MARGINAL_BILLING_PORT") + "/v1/customers/?external_id=ada"))
                    .header("Authorization", "Bearer " + org.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(customers.statusCode()).as(customers.body()).isEqualTo(200);
            assertThat(BillingApi.JSON.readTree(customers.body()).get("items")).hasSize(1);

            // The warehouse rebuilt from the restored database, read as the restored analyst: its
            // organisation's 3 events, and nothing of the other organisations the backup holds.
            String password = Files.readString(home.resolve("trino/passwords/e2e-backup-analyst")).trim();
            assertThat(password).isEqualTo(stack.trinoPassword("e2e-backup-analyst"));
            long seen = awaitAnalystCount(restored, home, password, "SELECT count(*) FROM marginal.raw.events", 3);
            assertThat(seen).isEqualTo(3);

            SharedStack.CommandResult reconciled = stack.marginal(restored, Duration.ofMinutes(3), "reconcile",
                    "--org", org.id(), "--settle", "60");
            assertThat(reconciled.exitCode()).as(reconciled.output()).isZero();
            assertThat(reconciled.output()).contains("0 difference(s)");

            // bin/marginal rebuild on the restored stack: its warehouse dropped and derived again from
            // its database — new tables (oldest snapshot after the rebuild began), the same 3 events
            // for the same analyst (grants are not derived, so they stay), reconcile exact again.
            Instant rebuildBegan = Instant.now();
            SharedStack.CommandResult rebuilt = stack.marginal(restored, Duration.ofMinutes(10), "rebuild");
            assertThat(rebuilt.exitCode()).as(rebuilt.output()).isZero();
            assertThat(rebuilt.output()).contains("dropped replication slot marginal_cdc").contains("raw.events")
                    .contains("analytics.revenue_facts").doesNotContain("access.analysts");
            assertThat(awaitAnalystCount(restored, home, password, "SELECT count(*) FROM marginal.raw.events", 3)).isEqualTo(3);
            String platform = Files.readString(home.resolve("trino/passwords/platform")).trim();
            try (Connection trino = DriverManager.getConnection(trinoUrl(restored, home), "platform", platform);
                 Statement statement = trino.createStatement();
                 ResultSet oldest = statement.executeQuery("SELECT min(committed_at) FROM marginal.raw.\"events$snapshots\"")) {
                assertThat(oldest.next()).isTrue();
                assertThat(oldest.getTimestamp(1).toInstant()).isAfter(rebuildBegan);
            }
            SharedStack.CommandResult reconciledAgain = stack.marginal(restored, Duration.ofMinutes(3), "reconcile",
                    "--org", org.id(), "--settle", "60");
            assertThat(reconciledAgain.exitCode()).as(reconciledAgain.output()).isZero();
            assertThat(reconciledAgain.output()).contains("0 difference(s)");

            SharedStack.CommandResult again = stack.marginal(restored, Duration.ofMinutes(2), "restore", backup.toString());
            assertThat(again.exitCode()).as("a restore never overwrites a home that has a database").isEqualTo(1);
            assertThat(again.output()).contains("already has a database");
        } finally {
            stack.marginal(restored, Duration.ofMinutes(2), "down");
        }
    }

    /** Its own home and ports (145xx), apart from the shared stack's 14xxx. */
    private static Map<String, String> restoredStack(Path home) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MARGINAL_HOME", home.toString());
        env.put("MARGINAL_POSTGRES_PORT", System.getProperty("e2e.restored.postgres.port", "14532"));
        env.put("MARGINAL_KAFKA_PORT", System.getProperty("e2e.restored.kafka.port", "14592"));
        env.put("MARGINAL_KAFKA_CONTROLLER_PORT", System.getProperty("e2e.restored.kafka-controller.port", "14593"));
        env.put("MARGINAL_TRINO_PORT", System.getProperty("e2e.restored.trino.port", "14588"));
        env.put("MARGINAL_BILLING_PORT", System.getProperty("e2e.restored.billing.port", "14580"));
        env.put("MARGINAL_DASHBOARD_PORT", System.getProperty("e2e.restored.dashboard.port", "14590"));
        env.put("MARGINAL_CDC_HEALTH_PORT", System.getProperty("e2e.restored.cdc-health.port", "14591"));
        env.put("MARGINAL_FLINK_HEALTH_PORT", System.getProperty("e2e.restored.flink-health.port", "14594"));
        return env;
    }

    private static String trinoUrl(Map<String, String> env, Path home) {
        return "jdbc:trino://127.0.0.1:" + env.get("MARGINAL_TRINO_PORT") + "/marginal?SSL=true&SSLTrustStorePath="
                + home.resolve("trino/tls/trino.pem");
    }

    private static long awaitAnalystCount(Map<String, String> env, Path home, String password, String sql, long expected)
            throws InterruptedException {
        String url = trinoUrl(env, home);
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        long count = -1;
        String last = "";
        while (System.nanoTime() < deadline) {
            try (Connection trino = DriverManager.getConnection(url, "e2e-backup-analyst", password);
                 Statement statement = trino.createStatement(); ResultSet r = statement.executeQuery(sql)) {
                r.next();
                count = r.getLong(1);
                if (count == expected) {
                    return count;
                }
            } catch (SQLException e) {
                last = e.getMessage(); // the table may not exist until the job's first commit
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("the restored analyst saw " + count + " rows, expected " + expected + "; last error: " + last);
    }
}
