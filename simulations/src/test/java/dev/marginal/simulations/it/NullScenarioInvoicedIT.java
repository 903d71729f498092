package dev.marginal.simulations.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.GraduatedPrice;
import dev.marginal.pricing.price.MeteredUnitPrice;
import dev.marginal.pricing.price.Recurrence;
import dev.marginal.pricing.tier.Tiers;
import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.engine.Simulator;
import dev.marginal.simulations.invoiced.BillingInvoicedRevenue;
import dev.marginal.simulations.invoiced.InvoicedRevenue;
import dev.marginal.simulations.invoiced.NullScenarioCheck;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.warehouse.TrinoUsageLoader;
import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.TrinoServer;

/**
 * The null scenario against what billing invoiced, on real PostgreSQL and Trino. billing-core's
 * database (its own migrations) holds a Starter product — $29 a month, chat tokens graduated, 2 ¢
 * a summary — two subscriptions anchored on 1 January, their usage events, and the orders billing
 * makes of them (create, then a renewal each month billing the fee ahead and usage behind). The
 * warehouse holds the same events in {@code analytics.usage_costs}, as the pipeline writes them.
 * Simulating the scenario file that states those prices over January–February must give, per
 * customer and month, exactly the order lines billed for that month — and a one-cent change to an
 * order line must show up as exactly that one difference.
 */
class NullScenarioInvoicedIT {

    private static final int PG_PORT = 26433;
    private static final int TRINO_PORT = 26089;
    private static final Currency USD = Currency.getInstance("USD");

    /** The prices in force, as a scenario file: the same the billing rows below are sold at. */
    private static final String SCENARIO = """
            scenario: null-scenario
            currency: usd
            meters:
              chat_tokens: { event: chat.completion, quantity: total_tokens }
              summaries:   { event: document.summary }
            plans:
              starter:
                base_fee: 2900
                prices:
                  chat_tokens:
                    type: graduated
                    tiers:
                      - { up_to: 1000000,  unit_amount: 0 }
                      - { up_to: 20000000, unit_amount: 0.0004 }
                      - { up_to: inf,      unit_amount: 0.0003 }
                  summaries: { type: metered_unit, unit_amount: 2 }
            customers:
              default_plan: starter
            """;

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void theBaselineReproducesEveryInvoicedMonthToTheCent() throws Exception {
        Path home = Path.of(System.getProperty("marginal.simulations.it.home", "target/it-home"))
                .resolve("null-scenario").toAbsolutePath();
        Files.createDirectories(home);
        try (PostgresServer pg = PostgresServer.startForTests(home, PG_PORT);
             TrinoServer trino = TrinoServer.startForTests(home, TRINO_PORT, PG_PORT);
             Connection billingDb = pg.connect("marginal");
             Connection warehouse = trino.connect(); Statement sql = warehouse.createStatement()) {
            BillingTables billing = new BillingTables(billingDb);
            billing.migrate(Path.of("../billing-core/service/src/main/resources/db/migration"));
            billing.organization("null-scenario");
            UUID acme = billing.customer("acme-robotics");
            UUID globex = billing.customer("globex-ai");

            // Usage, in billing's events table and (below) in the warehouse.
            List<String[]> events = List.of(
                    // customer, event, timestamp, input, cached, output, cost (dollars)
                    new String[] {"acme-robotics", "chat.completion", "2026-01-05T10:00:00Z", "600000", "0", "200000", "3.5"},
                    new String[] {"acme-robotics", "chat.completion", "2026-01-20T10:00:00Z", "1500000", "500000", "700000", "10.125"},
                    new String[] {"acme-robotics", "document.summary", "2026-01-21T10:00:00Z", "12000", "0", "600", "0.0051"},
                    new String[] {"acme-robotics", "document.summary", "2026-01-22T10:00:00Z", "12000", "0", "600", "0.0051"},
                    new String[] {"acme-robotics", "document.summary", "2026-01-31T23:59:59Z", "12000", "0", "600", "0.0051"},
                    new String[] {"acme-robotics", "chat.completion", "2026-02-14T10:00:00Z", "20000000", "0", "5000000", "100"},
                    new String[] {"globex-ai", "document.summary", "2026-01-03T10:00:00Z", "8000", "0", "400", "0.0034"},
                    new String[] {"globex-ai", "chat.completion", "2026-02-28T23:59:59Z", "1000000", "0", "1", "2.50001"},
                    // 1 March: March's usage, billed in April — outside the simulated range on both sides
                    new String[] {"globex-ai", "chat.completion", "2026-03-01T00:00:00Z", "5000000", "0", "5000000", "62.5"});
            StringBuilder rows = new StringBuilder();
            for (String[] e : events) {
                long input = Long.parseLong(e[3]);
                long output = Long.parseLong(e[5]);
                billing.event(e[0], e[1], at(e[2]), "{\"_llm\": {\"vendor\": \"openai\", \"model\": \"gpt-4o\", "
                        + "\"input_tokens\": " + input + ", \"cached_input_tokens\": " + e[4] + ", \"output_tokens\": "
                        + output + ", \"total_tokens\": " + (input + output) + "}, \"_cost\": {\"amount\": "
                        + new BigDecimal(e[6]).movePointRight(2).toPlainString() + ", \"currency\": \"usd\"}}");
                rows.append(rows.isEmpty() ? "" : ",\n").append("('").append(billing.organization).append("', '")
                        .append(UUID.randomUUID()).append("', NULL, '").append(e[0]).append("', '").append(e[1])
                        .append("', 'openai', 'gpt-4o', ").append(input).append(", ").append(e[4]).append(", ")
                        .append(output).append(", DECIMAL '").append(e[6]).append("', 'usd', 'event', DATE '")
                        .append(e[2], 0, 10).append("', from_iso8601_timestamp('").append(e[2]).append("'))");
            }

            // The product's prices as billing-core's ProductPrice.engine builds them from its rows.
            FixedPrice fee = new FixedPrice(USD, 2_900, Recurrence.MONTHLY);
            List<BillingTables.Metered> metered = List.of(
                    new BillingTables.Metered("chat tokens", "chat.completion",
                            new Aggregation(Aggregation.Function.SUM, "_llm.total_tokens"),
                            new GraduatedPrice(USD, Tiers.builder()
                                    .tier(new BigDecimal("1000000"), BigDecimal.ZERO, null)
                                    .tier(new BigDecimal("20000000"), new BigDecimal("0.0004"), null)
                                    .tier(null, new BigDecimal("0.0003"), null).build())),
                    new BillingTables.Metered("summaries", "document.summary", Aggregation.count(),
                            new MeteredUnitPrice(USD, new BigDecimal("2"), null, BigDecimal.ZERO)));
            ServicePeriod jan = new ServicePeriod(at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z"));
            ServicePeriod feb = new ServicePeriod(at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z"));
            ServicePeriod mar = new ServicePeriod(at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"));
            for (var customer : List.of(new Object[] {acme, "acme-robotics"}, new Object[] {globex, "globex-ai"})) {
                UUID id = (UUID) customer[0];
                String external = (String) customer[1];
                billing.order(id, external, "subscription_create", jan, fee, null, metered);
                billing.order(id, external, "subscription_cycle", feb, fee, jan, metered);
                billing.order(id, external, "subscription_cycle", mar, fee, feb, metered);
            }

            sql.execute("CREATE SCHEMA IF NOT EXISTS marginal.analytics");
            sql.execute("""
                    CREATE TABLE IF NOT EXISTS marginal.analytics.usage_costs (
                      organization_id varchar, event_id varchar, customer_id varchar, external_customer_id varchar,
                      name varchar, vendor varchar, model varchar, input_tokens bigint, cached_input_tokens bigint,
                      output_tokens bigint, cost decimal(38,12), currency varchar, cost_source varchar, day date,
                      "timestamp" timestamp(6) with time zone)
                    WITH (partitioning = ARRAY['day'])""");
            sql.execute("INSERT INTO marginal.analytics.usage_costs VALUES\n" + rows);

            LocalDate from = LocalDate.of(2026, 1, 1);
            LocalDate to = LocalDate.of(2026, 3, 1);
            String org = billing.organization.toString();
            SimulationResult result = Simulator.run(ScenarioParser.parse("null-scenario.yaml", SCENARIO),
                    new TrinoUsageLoader(warehouse).load(org, from, to));
            InvoicedRevenue invoices = new BillingInvoicedRevenue(billingDb);
            List<InvoicedRevenue.Invoiced> invoiced = invoices.load(org, from, to);

            // acme, January: 2,900 + chat 800,000 + 2,200,000 = 3,000,000 tokens → (3,000,000 − 1,000,000) × 0.0004
            //   = 800 + 3 summaries × 2 = 6 → 3,706 ¢ (fee on the 1 January order, usage on the 1 February one)
            // acme, February: 2,900 + 25,000,000 tokens → 19,000,000 × 0.0004 + 5,000,000 × 0.0003 = 7,600 + 1,500 → 12,000 ¢
            // globex, January: 2,900 + 1 summary × 2 → 2,902 ¢
            // globex, February: 2,900 + 1,000,001 tokens → 1 × 0.0004 = 0.0004 ¢, rounds to 0 → 2,900 ¢
            assertThat(invoiced).extracting(i -> i.externalCustomerId() + " " + i.periodStart() + " " + i.amount())
                    .containsExactlyInAnyOrder("acme-robotics 2026-01-01 3706", "acme-robotics 2026-02-01 12000",
                            "globex-ai 2026-01-01 2902", "globex-ai 2026-02-01 2900");
            assertThat(result.baseline().summary().revenue()).isEqualByComparingTo("215.08");   // 37.06 + 120 + 29.02 + 29
            assertThat(NullScenarioCheck.compare(result, invoiced)).isEmpty();

            // A cent more on one invoiced line is caught, and only that cell.
            billing.update("""
                    UPDATE order_items SET amount = amount + 1
                    WHERE label = 'Starter — summaries' AND start_timestamp = '2026-01-01T00:00:00Z'
                      AND order_id IN (SELECT id FROM orders WHERE customer_id = ?)""", acme);
            assertThat(NullScenarioCheck.compare(result, invoices.load(org, from, to)))
                    .extracting(Object::toString)
                    .containsExactly("acme-robotics 2026-01-01: invoiced 3707, simulated 3706 (minor units)");
        }
    }
}
