package dev.marginal.simulations;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.marginal.simulations.engine.Progress;
import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.engine.Simulator;
import dev.marginal.simulations.invoiced.BillingInvoicedRevenue;
import dev.marginal.simulations.invoiced.NullScenarioCheck;
import dev.marginal.simulations.optimiser.Optimiser;
import dev.marginal.simulations.optimiser.OptimiserResult;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.scenario.ScenarioException;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.usage.Aggregates;
import dev.marginal.simulations.warehouse.TrinoConnection;
import dev.marginal.simulations.warehouse.TrinoResultsWriter;
import dev.marginal.simulations.warehouse.TrinoUsageLoader;

/**
 * {@code bin/marginal simulate scenario.yaml [--from D] [--to D] [--org O]}: loads the
 * organisation's usage from Trino, runs the scenario, writes {@code marginal.simulations.*},
 * prints a summary table and, last, {@code run_id=<id>}. Progress goes to stderr. A scenario with an
 * {@code optimise:} section is also searched: its frontier and chosen point are printed after the
 * variants and written beside them. {@code --check-invoices} compares the baseline with what
 * billing-core invoiced, per customer and month, and exits 1 on any difference.
 *
 * <p>Range: {@code --from} (inclusive, moved to the 1st of its month) and {@code --to}
 * (exclusive); by default the last 12 calendar months including the current one. Without
 * {@code --org} the one organisation with usage in the range is used. Trino: {@link TrinoConnection}.
 */
public final class Cli {

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args, LocalDate.now(ZoneOffset.UTC));
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            err.println("usage: marginal simulate scenario.yaml [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--org ORGANIZATION_ID] "
                    + "[--check-invoices]");
            return 2;
        }
        Scenario scenario;
        try {
            scenario = ScenarioParser.parse(arguments.scenario());
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return 2;
        }
        try (Connection trino = connect()) {
            TrinoUsageLoader loader = new TrinoUsageLoader(trino);
            String org = arguments.org() != null ? arguments.org() : onlyOrganization(loader, arguments);
            err.printf("loading usage of %s, %s .. %s%n", org, arguments.from(), arguments.to());
            Aggregates aggregates = loader.load(org, arguments.from(), arguments.to());
            err.printf("%d customers, %d usage rows, %d cost rows%n", aggregates.customers().size(),
                    aggregates.usage().size(), aggregates.costs().size());
            SimulationResult result = Simulator.run(scenario, aggregates, progressBar(err, "variants"));
            err.println();
            OptimiserResult optimiser = null;
            if (scenario.optimisation() != null) {
                err.printf("optimising: %s over %d candidates%n", scenario.optimisation().statement(),
                        scenario.optimisation().candidates().size());
                optimiser = Optimiser.run(scenario, aggregates, progressBar(err, "candidates"));
                err.println();
            }
            String runId = "sim_" + UUID.randomUUID().toString().replace("-", "");
            err.println("writing marginal.simulations.* ...");
            new TrinoResultsWriter(trino).write(runId, arguments.scenario().toString(), result, optimiser,
                    arguments.from().withDayOfMonth(1), arguments.to(), Instant.now());
            out.print(SummaryTable.render(result));
            if (optimiser != null) {
                out.print(SummaryTable.renderOptimiser(optimiser));
            }
            int status = 0;
            if (arguments.checkInvoices()) {
                status = checkInvoices(result, org, arguments, out);
            }
            out.println("run_id=" + runId);
            return status;
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("simulate: " + e);
            return 1;
        }
    }

    /**
     * {@code --check-invoices}: the baseline against what billing-core invoiced (its PostgreSQL, as
     * {@code reconcile} reaches it: MARGINAL_DB_URL, MARGINAL_DB_USER, MARGINAL_DB_PASSWORD; without a URL,
     * the stack's own PostgreSQL on MARGINAL_POSTGRES_PORT). 1 on any difference.
     */
    private static int checkInvoices(SimulationResult result, String org, Arguments arguments, PrintStream out)
            throws Exception {
        Map<String, String> env = System.getenv();
        try (Connection billing = DriverManager.getConnection(
                env.getOrDefault("MARGINAL_DB_URL", "jdbc:postgresql://127.0.0.1:"
                        + env.getOrDefault("MARGINAL_POSTGRES_PORT", "15432") + "/marginal"),
                env.getOrDefault("MARGINAL_DB_USER", "marginal"), env.getOrDefault("MARGINAL_DB_PASSWORD", "marginal"))) {
            var invoiced = new BillingInvoicedRevenue(billing).load(org, arguments.from(), arguments.to());
            List<NullScenarioCheck.Difference> differences = NullScenarioCheck.compare(result, invoiced);
            out.println();
            out.println("baseline against invoices: " + invoiced.size() + " invoiced customer-months, "
                    + differences.size() + " differences");
            differences.stream().limit(20).forEach(d -> out.println("  " + d));
            if (differences.size() > 20) {
                out.println("  … and " + (differences.size() - 20) + " more");
            }
            return differences.isEmpty() ? 0 : 1;
        }
    }

    private static String onlyOrganization(TrinoUsageLoader loader, Arguments arguments) throws Exception {
        List<String> orgs = loader.organizations(arguments.from(), arguments.to());
        if (orgs.size() != 1) {
            throw new IllegalArgumentException(orgs.isEmpty() ? "no usage in " + arguments.from() + " .. " + arguments.to()
                    : "usage of several organisations in the range, pick one with --org: " + String.join(", ", orgs));
        }
        return orgs.get(0);
    }

    private static Connection connect() throws Exception {
        return TrinoConnection.fromEnvironment(System.getenv()).open();
    }

    static Progress progressBar(PrintStream err, String what) {
        return (done, total) -> {
            int filled = done * 30 / total;
            synchronized (err) {
                err.print("\r[" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + done + "/" + total + " " + what);
                err.flush();
            }
        };
    }

    record Arguments(Path scenario, LocalDate from, LocalDate to, String org, boolean checkInvoices) {

        static Arguments parse(String[] args, LocalDate today) {
            Path scenario = null;
            LocalDate from = null;
            LocalDate to = null;
            String org = null;
            boolean checkInvoices = false;
            int i = args.length > 0 && args[0].equals("simulate") ? 1 : 0;
            for (; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--from" -> from = date(arg, value(args, ++i, arg));
                    case "--to" -> to = date(arg, value(args, ++i, arg));
                    case "--org" -> org = value(args, ++i, arg);
                    case "--check-invoices" -> checkInvoices = true;
                    default -> {
                        if (arg.startsWith("--") || scenario != null) {
                            throw new IllegalArgumentException("unexpected argument " + arg);
                        }
                        scenario = Path.of(arg);
                    }
                }
            }
            if (scenario == null) {
                throw new IllegalArgumentException("a scenario file is required");
            }
            LocalDate thisMonth = today.withDayOfMonth(1);
            to = to != null ? to : thisMonth.plusMonths(1);
            from = from != null ? from : to.withDayOfMonth(1).minusMonths(12);
            if (!to.isAfter(from)) {
                throw new IllegalArgumentException("--to " + to + " must be after --from " + from);
            }
            return new Arguments(scenario, from, to, org, checkInvoices);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static LocalDate date(String flag, String text) {
            try {
                return LocalDate.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(flag + " must be a date YYYY-MM-DD, got " + text);
            }
        }
    }
}
