package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/marginal maintain} on the running stack, beside the Flink job: the checkpoints' small
 * files of {@code raw.events} and {@code analytics.usage_costs} are compacted and no event or cent
 * changes.
 */
class MaintenanceCompactsLiveTablesIT {

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    @Test
    void oneRoundCompactsTheCheckpointFilesAndKeepsEveryEventAndCent() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-maintenance");
        // Five batches, each waited for, so each lands in its own checkpoint: at least five commits.
        for (int batch = 1; batch <= 5; batch++) {
            String body = "{\"events\":[" + event("m" + batch + "a", "0.25") + "," + event("m" + batch + "b", "0.5") + "]}";
            assertThat(billing.ingest(org.token(), body).status()).isEqualTo(200);
            long expected = batch * 2L;
            assertThat(warehouse.awaitCount("SELECT count(*) FROM marginal.analytics.usage_costs WHERE organization_id = ?",
                    org.id(), n -> n >= expected, Duration.ofMinutes(2))).isEqualTo(expected);
        }
        String events = "SELECT count(*) FROM marginal.raw.events WHERE organization_id = '" + org.id() + "'";
        String cost = "SELECT CAST(sum(cost) AS varchar) FROM marginal.analytics.usage_costs WHERE organization_id = '" + org.id() + "'";
        long rawFiles = dataFiles("raw", "events");
        long costFiles = dataFiles("analytics", "usage_costs");
        assertThat(rawFiles).isGreaterThanOrEqualTo(5);
        // 5 × (0.25 + 0.5) cents = 3.75 cents = $0.0375
        assertThat(query(cost)).containsExactly("0.037500000000");

        SharedStack.CommandResult round = stack.marginal(Duration.ofMinutes(5), "maintain");

        assertThat(round.output()).containsPattern("(?m)^raw\\.events\\s+optimize\\s+ok$");
        assertThat(round.output()).containsPattern("(?m)^analytics\\.usage_costs\\s+optimize\\s+ok$");
        assertThat(dataFiles("raw", "events")).isLessThan(rawFiles);
        assertThat(dataFiles("analytics", "usage_costs")).isLessThan(costFiles);
        assertThat(query(events)).containsExactly("10");
        assertThat(query(cost)).containsExactly("0.037500000000");
    }

    private static String event(String id, String cents) {
        return "{\"name\":\"chat.completion\",\"external_customer_id\":\"c1\",\"external_id\":\"" + id + "\""
                + ",\"metadata\":{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":10"
                + ",\"output_tokens\":1,\"total_tokens\":11},\"_cost\":{\"amount\":" + cents + ",\"currency\":\"usd\"}}}";
    }

    private long dataFiles(String schema, String table) throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM marginal." + schema + ".\"" + table + "$files\" WHERE content = 0").get(0));
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection trino = stack.trino(); Statement statement = trino.createStatement(); ResultSet r = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (r.next()) {
                values.add(r.getString(1));
            }
            return values;
        }
    }
}
