package dev.marginal.simulations.warehouse;

import static dev.marginal.simulations.warehouse.SqlLiterals.date;
import static dev.marginal.simulations.warehouse.SqlLiterals.money;
import static dev.marginal.simulations.warehouse.SqlLiterals.number;
import static dev.marginal.simulations.warehouse.SqlLiterals.percent;
import static dev.marginal.simulations.warehouse.SqlLiterals.string;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.marginal.simulations.engine.Percentiles;
import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.engine.Summary;
import dev.marginal.simulations.engine.VariantResult;
import dev.marginal.simulations.optimiser.OptimiserResult;
import dev.marginal.simulations.usage.Aggregates;

/**
 * The SQL that records a run in {@code marginal.simulations}: the tables (idempotent DDL) and
 * batched multi-row INSERTs. Money is DECIMAL(38,12) in major units with a currency column, as in
 * the analytics tables. Column {@code scenario} is the variant's name ("baseline" for the bills as
 * they were); {@code runs.scenario} is the scenario file's own name.
 *
 * <p>A run is written results first, its {@code runs} row last: a run listed in {@code runs} is complete.
 */
public final class ResultsSql {

    public static final List<String> CREATE_TABLES = List.of("""
            CREATE TABLE IF NOT EXISTS marginal.simulations.runs (
                run_id             varchar NOT NULL,
                scenario           varchar NOT NULL,
                scenario_file      varchar,
                organization_id    varchar NOT NULL,
                period_from        date    NOT NULL,
                period_to          date    NOT NULL,
                variants           integer NOT NULL,
                customers          integer NOT NULL,
                currency           varchar NOT NULL,
                seed               bigint,
                trials             integer,
                created_at         timestamp(6) with time zone NOT NULL,
                objective          varchar,
                chosen             varchar
            )
            WITH (format_version = 2)""", """
            CREATE TABLE IF NOT EXISTS marginal.simulations.customer_results (
                run_id               varchar NOT NULL,
                scenario             varchar NOT NULL,
                organization_id      varchar NOT NULL,
                customer_id          varchar,
                external_customer_id varchar,
                period_start         date    NOT NULL,
                actual_bill          decimal(38,12) NOT NULL,
                simulated_bill       decimal(38,12) NOT NULL,
                cost                 decimal(38,12) NOT NULL,
                simulated_cost       decimal(38,12) NOT NULL,
                actual_margin        decimal(38,12) NOT NULL,
                simulated_margin     decimal(38,12) NOT NULL,
                delta_pct            decimal(12,2),
                currency             varchar NOT NULL
            )
            WITH (format_version = 2, partitioning = ARRAY['run_id'])""", """
            CREATE TABLE IF NOT EXISTS marginal.simulations.summaries (
                run_id             varchar NOT NULL,
                scenario           varchar NOT NULL,
                organization_id    varchar NOT NULL,
                actual_revenue     decimal(38,12) NOT NULL,
                revenue            decimal(38,12) NOT NULL,
                revenue_delta_pct  decimal(12,2),
                actual_cost        decimal(38,12) NOT NULL,
                cost               decimal(38,12) NOT NULL,
                margin             decimal(38,12) NOT NULL,
                margin_pct         decimal(12,2),
                customers_up       integer NOT NULL,
                customers_down     integer NOT NULL,
                max_increase_pct   decimal(12,2),
                expected_churn     decimal(12,2),
                revenue_p5         decimal(38,12),
                revenue_p50        decimal(38,12),
                revenue_p95        decimal(38,12),
                margin_p5          decimal(38,12),
                margin_p50         decimal(38,12),
                margin_p95         decimal(38,12),
                currency           varchar NOT NULL,
                parameters         varchar,
                feasible           boolean,
                on_frontier        boolean,
                chosen             boolean,
                violation          varchar
            )
            WITH (format_version = 2)""");

    /**
     * Columns added since the tables were first written (the optimiser's), for warehouses that
     * already hold runs: Iceberg adds a column without rewriting data, old rows read NULL.
     */
    public static final List<String> ADD_COLUMNS = List.of(
            "ALTER TABLE marginal.simulations.runs ADD COLUMN IF NOT EXISTS objective varchar",
            "ALTER TABLE marginal.simulations.runs ADD COLUMN IF NOT EXISTS chosen varchar",
            "ALTER TABLE marginal.simulations.summaries ADD COLUMN IF NOT EXISTS parameters varchar",
            "ALTER TABLE marginal.simulations.summaries ADD COLUMN IF NOT EXISTS feasible boolean",
            "ALTER TABLE marginal.simulations.summaries ADD COLUMN IF NOT EXISTS on_frontier boolean",
            "ALTER TABLE marginal.simulations.summaries ADD COLUMN IF NOT EXISTS chosen boolean",
            "ALTER TABLE marginal.simulations.summaries ADD COLUMN IF NOT EXISTS violation varchar");

    private final int batchSize;

    public ResultsSql(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        this.batchSize = batchSize;
    }

    /**
     * INSERTs of every (variant, customer, period) cell in which the customer was billed or cost
     * something in the baseline or the variant, {@code batchSize} rows a statement, handed to
     * {@code statements} one at a time so a large run is never one string in memory.
     */
    public void customerResults(String runId, SimulationResult result, Consumer<String> statements) {
        customerResults(runId, result, true, statements);
    }

    /**
     * As above; without the baseline's rows when {@code withBaseline} is false (the optimiser's
     * chosen point is simulated apart, against the same baseline the run already wrote).
     */
    public void customerResults(String runId, SimulationResult result, boolean withBaseline,
                                Consumer<String> statements) {
        Aggregates aggregates = result.aggregates();
        String org = string(aggregates.organizationId());
        String currency = string(currency(result));
        VariantResult baseline = result.baseline();
        Batch batch = new Batch("INSERT INTO marginal.simulations.customer_results VALUES\n", statements);
        for (VariantResult variant : result.variants()) {
            if (!withBaseline && variant == baseline) {
                continue;
            }
            String scenario = string(variant.name());
            for (int c = 0; c < aggregates.customers().size(); c++) {
                Aggregates.Customer customer = aggregates.customers().get(c);
                for (int p = 0; p < aggregates.periodStarts().size(); p++) {
                    var actual = baseline.bill(c, p);
                    var simulated = variant.bill(c, p);
                    var cost = baseline.cost(c, p);
                    var simulatedCost = variant.cost(c, p);
                    if (actual.isZero() && simulated.isZero() && cost.signum() == 0 && simulatedCost.signum() == 0) {
                        continue;
                    }
                    batch.add("(" + String.join(", ", string(runId), scenario, org, string(customer.customerId()),
                            string(customer.externalCustomerId()), date(aggregates.periodStarts().get(p)),
                            money(actual.toMajor()), money(simulated.toMajor()), money(cost), money(simulatedCost),
                            money(baseline.margin(c, p)), money(variant.margin(c, p)),
                            percent(result.deltaPct(variant, c, p)), currency) + ")");
                }
            }
        }
        batch.flush();
    }

    public List<String> summaries(String runId, SimulationResult result) {
        return summaries(runId, result, null);
    }

    /**
     * One row per variant and, with an optimiser result, one per candidate of its grid: its
     * parameters, whether it meets the constraints (and if not, the one it breaks), whether it is on
     * the frontier and whether it is the chosen point.
     */
    public List<String> summaries(String runId, SimulationResult result, OptimiserResult optimiser) {
        List<String> out = new ArrayList<>();
        Batch batch = new Batch("INSERT INTO marginal.simulations.summaries VALUES\n", out::add);
        String org = string(result.aggregates().organizationId());
        String currency = string(currency(result));
        for (VariantResult variant : result.variants()) {
            batch.add(summary(runId, org, variant.summary(), currency, "NULL, NULL, NULL, NULL, NULL"));
        }
        if (optimiser != null) {
            for (OptimiserResult.Point point : optimiser.points()) {
                String parameters = point.candidate().values().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().toPlainString()).collect(Collectors.joining(" "));
                batch.add(summary(runId, org, point.summary(), currency, String.join(", ", string(parameters),
                        bool(point.feasible()), bool(point.onFrontier()), bool(point == optimiser.chosen()),
                        string(point.violation()))));
            }
        }
        batch.flush();
        return out;
    }

    private static String summary(String runId, String org, Summary s, String currency, String optimiserColumns) {
        Percentiles r = s.revenueP();
        Percentiles m = s.marginP();
        return "(" + String.join(", ", string(runId), string(s.variant()), org, money(s.actualRevenue()),
                money(s.revenue()), percent(s.revenueDeltaPct()), money(s.actualCost()), money(s.cost()),
                money(s.margin()), percent(s.marginPct()), number(s.customersUp()), number(s.customersDown()),
                percent(s.maxIncreasePct()), percent(s.expectedChurn()),
                money(r == null ? null : r.p5()), money(r == null ? null : r.p50()), money(r == null ? null : r.p95()),
                money(m == null ? null : m.p5()), money(m == null ? null : m.p50()), money(m == null ? null : m.p95()),
                currency, optimiserColumns) + ")";
    }

    private static String bool(boolean value) {
        return value ? "true" : "false";
    }

    public String run(String runId, String scenarioFile, SimulationResult result, LocalDate from, LocalDate to,
                      Instant createdAt) {
        return run(runId, scenarioFile, result, null, from, to, createdAt);
    }

    /** The run row; with an optimiser result, its objective and constraints and the chosen candidate. */
    public String run(String runId, String scenarioFile, SimulationResult result, OptimiserResult optimiser,
                      LocalDate from, LocalDate to, Instant createdAt) {
        var behaviour = result.scenario().behaviour();
        boolean stochastic = behaviour.isStochastic();
        return "INSERT INTO marginal.simulations.runs VALUES\n(" + String.join(", ", string(runId),
                string(result.scenario().name()), string(scenarioFile), string(result.aggregates().organizationId()),
                date(from), date(to), number(result.variants().size()), number(result.aggregates().customers().size()),
                string(currency(result)), stochastic ? number(behaviour.seed()) : "NULL",
                stochastic ? number(behaviour.trials()) : "NULL",
                "from_iso8601_timestamp_nanos(" + string(createdAt.toString()) + ")",
                string(optimiser == null ? null : optimiser.optimisation().statement()),
                string(optimiser == null || optimiser.chosen() == null ? null : optimiser.chosen().name())) + ")";
    }

    /** Lower case, as the analytics tables spell currencies. */
    private static String currency(SimulationResult result) {
        return result.scenario().currency().getCurrencyCode().toLowerCase(Locale.ROOT);
    }

    private final class Batch {

        private final String head;
        private final Consumer<String> sink;
        private final StringBuilder rows = new StringBuilder();
        private int count;

        Batch(String head, Consumer<String> sink) {
            this.head = head;
            this.sink = sink;
        }

        void add(String row) {
            if (count > 0) {
                rows.append(",\n");
            }
            rows.append(row);
            if (++count == batchSize) {
                flush();
            }
        }

        void flush() {
            if (count > 0) {
                sink.accept(head + rows);
                rows.setLength(0);
                count = 0;
            }
        }
    }
}
