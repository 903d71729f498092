package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LLM cost reaches {@code analytics.model_costs} exactly, per model and UTC day, including an event
 * that arrives late for an earlier day.
 */
class ModelCostsIT {

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    @Test
    void modelCostsAddUpToTheCentFractionPerModelAndDay() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-model-costs");
        Instant today = Instant.now().minus(1, ChronoUnit.MINUTES);
        Instant twoDaysAgo = today.minus(2, ChronoUnit.DAYS);

        String body = "{\"events\":["
                + event("a", today, "openai", "gpt-4o", 1_200, 300, "0.6") + ","
                + event("b", today, "openai", "gpt-4o", 2_000, 500, "1.25") + ","
                + event("c", today, "Anthropic", "claude-sonnet-4-5", 10_000, 1_000, "3.0000000001") + ","
                + event("d", twoDaysAgo, "anthropic", "claude-sonnet-4-5", 40_000, 2_000, "10") + ","
                + "{\"name\":\"signup\",\"external_customer_id\":\"c1\",\"external_id\":\"e\"}"
                + "]}";
        assertThat(billing.ingest(org.token(), body).status()).isEqualTo(200);

        warehouse.awaitCount("SELECT coalesce(sum(events), 0) FROM marginal.analytics.model_costs WHERE organization_id = ?",
                org.id(), n -> n >= 4, Duration.ofMinutes(2));

        // gpt-4o today: (0.6 + 1.25) cents = $0.0185; tokens 1,200 + 2,000 in, 300 + 500 out.
        // claude today: 3.0000000001 cents = $0.030000000001 (12 decimals kept exactly).
        // claude two days ago (late, restating its own day): 10 cents = $0.10.
        assertThat(modelCosts(org.id())).containsExactly(
                row("anthropic", "claude-sonnet-4-5", day(twoDaysAgo), 40_000, 2_000, "0.100000000000", 1),
                row("anthropic", "claude-sonnet-4-5", day(today), 10_000, 1_000, "0.030000000001", 1),
                row("openai", "gpt-4o", day(today), 3_200, 800, "0.018500000000", 2));
    }

    private static String event(String id, Instant at, String vendor, String model, long in, long out, String cents) {
        return "{\"name\":\"chat.completion\",\"external_customer_id\":\"c1\",\"external_id\":\"" + id + "\""
                + ",\"timestamp\":\"" + at + "\",\"metadata\":{\"_llm\":{\"vendor\":\"" + vendor + "\",\"model\":\"" + model
                + "\",\"input_tokens\":" + in + ",\"output_tokens\":" + out + ",\"total_tokens\":" + (in + out) + "}"
                + ",\"_cost\":{\"amount\":" + cents + ",\"currency\":\"usd\"}}}";
    }

    private static LocalDate day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static String row(String vendor, String model, LocalDate day, long in, long out, String cost, long events) {
        return String.join("|", vendor, model, day.toString(), Long.toString(in), Long.toString(out), cost, Long.toString(events));
    }

    private List<String> modelCosts(String organizationId) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection trino = stack.trino(); PreparedStatement query = trino.prepareStatement("""
                SELECT vendor, model, day, input_tokens, output_tokens, cost, events
                FROM marginal.analytics.model_costs WHERE organization_id = ? ORDER BY vendor, model, day""")) {
            query.setString(1, organizationId);
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    BigDecimal cost = r.getBigDecimal("cost");
                    rows.add(row(r.getString("vendor"), r.getString("model"), r.getDate("day").toLocalDate(),
                            r.getLong("input_tokens"), r.getLong("output_tokens"), cost.toPlainString(), r.getLong("events")));
                }
            }
        }
        return rows;
    }
}
