package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Trino's access rules on the real stack: an organisation's analyst, created at run time with
 * {@code bin/marginal analyst}, reads its own organisation's rows of every table and view in
 * {@code raw} and {@code analytics} — listed from information_schema, so a new one is covered — and
 * nothing of another organisation's, whatever it filters on; it writes nothing.
 */
class AnalystSeesOnlyOwnOrganizationIT {

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    @Test
    void analystOfOrganisationAReadsOnlyAsRowsEverywhereAndWritesNothing() throws Exception {
        BillingApi.Organization a = billing.newOrganization("e2e-access-a");
        BillingApi.Organization b = billing.newOrganization("e2e-access-b");
        assertThat(billing.ingest(a.token(), events("a", 2)).status()).isEqualTo(200);
        assertThat(billing.ingest(b.token(), events("b", 3)).status()).isEqualTo(200);
        for (BillingApi.Organization org : List.of(a, b)) {
            long expected = org == a ? 2 : 3;
            warehouse.awaitCount("SELECT count(*) FROM marginal.raw.events WHERE organization_id = ?", org.id(),
                    n -> n >= expected, Duration.ofMinutes(2));
            warehouse.awaitCount("SELECT coalesce(sum(events), 0) FROM marginal.analytics.model_costs WHERE organization_id = ?",
                    org.id(), n -> n >= expected, Duration.ofMinutes(2));
        }

        String analyst = "analyst-" + UUID.randomUUID().toString().substring(0, 8);
        SharedStack.CommandResult created = stack.marginal(Duration.ofMinutes(1), "analyst", analyst, a.slug());
        assertThat(created.exitCode()).as(created.output()).isZero();
        String password = stack.trinoPassword(analyst);
        awaitLogin(analyst, password);

        List<String> relations = rows(stack.trino(), """
                SELECT table_schema || '.' || table_name FROM marginal.information_schema.tables
                WHERE table_schema IN ('raw', 'analytics') ORDER BY 1""");
        assertThat(relations).contains("raw.events", "analytics.usage_costs", "analytics.model_cost_deltas", "analytics.model_costs");

        for (String relation : relations) {
            String table = "marginal." + relation;
            // The platform sees both organisations, so an unfiltered analyst would too.
            assertThat(rows(stack.trino(), "SELECT DISTINCT organization_id FROM " + table
                    + " WHERE organization_id IN ('" + a.id() + "', '" + b.id() + "') ORDER BY 1"))
                    .as(relation + " as platform").containsExactlyInAnyOrder(a.id(), b.id());

            assertThat(rows(analyst(analyst, password), "SELECT DISTINCT organization_id FROM " + table))
                    .as(relation + " as A's analyst").containsExactly(a.id());
            assertThat(rows(analyst(analyst, password), "SELECT count(*) FROM " + table))
                    .as(relation + ": all of A's rows")
                    .isEqualTo(rows(stack.trino(), "SELECT count(*) FROM " + table + " WHERE organization_id = '" + a.id() + "'"));
            for (String filter : List.of("organization_id = '" + b.id() + "'", "organization_id <> '" + a.id() + "'",
                    "organization_id = '" + b.id() + "' OR 1 = 1 AND organization_id <> '" + a.id() + "'",
                    "organization_id IN (SELECT organization_id FROM marginal.access.analysts WHERE user_name <> '" + analyst + "')")) {
                assertThat(rows(analyst(analyst, password), "SELECT count(*) FROM " + table + " WHERE " + filter))
                        .as(relation + " WHERE " + filter).containsExactly("0");
            }
        }

        assertThatThrownBy(() -> rows(analyst(analyst, password),
                "INSERT INTO marginal.analytics.model_cost_deltas SELECT * FROM marginal.analytics.model_cost_deltas"))
                .hasMessageContaining("Access Denied");
        assertThatThrownBy(() -> rows(analyst(analyst, password),
                "DELETE FROM marginal.raw.events WHERE organization_id = '" + b.id() + "'"))
                .hasMessageContaining("Access Denied");
        assertThatThrownBy(() -> rows(analyst(analyst, password),
                "INSERT INTO marginal.access.analysts VALUES ('" + analyst + "', '" + b.id() + "')"))
                .hasMessageContaining("Access Denied");
        assertThat(rows(stack.trino(), "SELECT organization_id FROM marginal.access.analysts WHERE user_name = '" + analyst + "'"))
                .containsExactly(a.id());

        // The same rules hold through bin/marginal sql --user.
        SharedStack.CommandResult cli = stack.marginal(Duration.ofMinutes(1), "sql", "--user", analyst,
                "--output-format", "TSV", "--execute", "SELECT DISTINCT organization_id FROM raw.events");
        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(cli.output().strip()).isEqualTo(a.id());
    }

    @Test
    void financeReadsAnalyticsOfEveryOrganisationButNotRawAndWritesNothing() throws Exception {
        String password = stack.trinoPassword("finance");

        String everyOrganisation = "SELECT count(DISTINCT organization_id) FROM marginal.analytics.model_cost_deltas";
        assertThat(rows(stack.trino("finance", password), everyOrganisation)).isEqualTo(rows(stack.trino(), everyOrganisation));
        assertThatThrownBy(() -> rows(stack.trino("finance", password), "SELECT count(*) FROM marginal.raw.events"))
                .hasMessageContaining("Access Denied");
        assertThatThrownBy(() -> rows(stack.trino("finance", password),
                "DELETE FROM marginal.analytics.model_cost_deltas WHERE 1 = 0"))
                .hasMessageContaining("Access Denied");
    }

    private Connection analyst(String user, String password) throws SQLException {
        return stack.trino(user, password);
    }

    /** Trino re-reads its password file every few seconds: a new analyst can log in after that. */
    private void awaitLogin(String user, String password) throws Exception {
        SQLException last = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            try {
                rows(stack.trino(user, password), "SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw last;
    }

    private static String events(String prefix, int count) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add("{\"name\":\"chat.completion\",\"external_customer_id\":\"c1\",\"external_id\":\"" + prefix + i + "\""
                    + ",\"metadata\":{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":100"
                    + ",\"output_tokens\":10,\"total_tokens\":110},\"_cost\":{\"amount\":0.5,\"currency\":\"usd\"}}}");
        }
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        try (connection; Statement statement = connection.createStatement(); ResultSet r = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (r.next()) {
                values.add(r.getString(1));
            }
            return values;
        }
    }
}
