package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code bin/marginal reconcile} agrees when nothing is lost, and names the figure when something is. */
class ReconcileIT {

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    @Test
    void reconcileIsExactAndCatchesARowLostInTheWarehouse() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-reconcile");
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 20; i++) {
            // Priced by the client ($0.0123456789012 each), by the catalog (gpt-4o list price), or not at all.
            String metadata = switch (i % 3) {
                case 0 -> "{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":1000,\"output_tokens\":100,"
                        + "\"total_tokens\":1100},\"_cost\":{\"amount\":1.23456789012,\"currency\":\"usd\"}}";
                case 1 -> "{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":1000,\"output_tokens\":100,"
                        + "\"total_tokens\":1100}}";
                default -> "{\"plan\":\"pro\"}";
            };
            body.append(i > 0 ? "," : "").append("{\"name\":\"chat.completion\",\"external_customer_id\":\"c")
                    .append(i % 4).append("\",\"external_id\":\"r").append(i).append("\",\"timestamp\":\"")
                    .append(Instant.now().minusSeconds(60)).append("\",\"metadata\":").append(metadata).append('}');
        }
        assertThat(billing.ingest(org.token(), body.append("]}").toString()).status()).isEqualTo(200);
        assertThat(warehouse.awaitCount("SELECT count(*) FROM marginal.analytics.usage_costs WHERE organization_id = ?",
                org.id(), n -> n >= 20, Duration.ofMinutes(2))).isEqualTo(20);

        SharedStack.CommandResult agreed = stack.marginal(Duration.ofMinutes(2), "reconcile", "--org", org.id(), "--settle", "60");
        assertThat(agreed.exitCode()).as(agreed.output()).isZero();
        assertThat(agreed.output()).contains("0 difference(s)");

        // Lose one priced row in the warehouse behind the pipelines' back.
        try (Connection trino = stack.trino(); PreparedStatement delete = trino.prepareStatement(
                "DELETE FROM marginal.analytics.usage_costs WHERE organization_id = ? AND event_id = ("
                        + "SELECT min(event_id) FROM marginal.analytics.usage_costs WHERE organization_id = ? AND cost IS NOT NULL)")) {
            delete.setString(1, org.id());
            delete.setString(2, org.id());
            delete.executeUpdate();
        }

        SharedStack.CommandResult lost = stack.marginal(Duration.ofMinutes(2), "reconcile", "--org", org.id(), "--settle", "0");
        assertThat(lost.exitCode()).as(lost.output()).isEqualTo(1);
        assertThat(lost.output()).contains("cost_rows", "cost_usd", "2 difference(s)");
    }
}
