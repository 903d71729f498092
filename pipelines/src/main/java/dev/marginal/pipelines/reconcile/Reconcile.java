package dev.marginal.pipelines.reconcile;

import java.io.PrintStream;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code reconcile [--org ID] [--from DAY] [--to DAY] [--settle SECONDS]}: proves the warehouse
 * agrees with billing-core per organisation and UTC day — event counts, cost rows, LLM calls and
 * cost to 12 decimals of the currency; paid orders' net revenue and tax, the merchant's fees, and
 * refunds and disputes to the cent ({@link RevenueFigures}) — and exits 1 on any difference.
 *
 * <p>The pipelines trail billing-core by a checkpoint or two, so a difference is re-checked for up
 * to {@code --settle} seconds (default 30) before it is reported; a real loss or double count
 * never settles.
 */
public final class Reconcile {

    private final Connection billing;
    private final Connection trino;
    private final PrintStream out;
    /** The stack's home, where a whole run leaves its drift for status and Prometheus ({@link DriftMetrics}). */
    private final Optional<Path> home;

    Reconcile(Connection billing, Connection trino, PrintStream out, Optional<Path> home) {
        this.billing = billing;
        this.trino = trino;
        this.out = out;
        this.home = home;
    }

    public static int run(String[] args, Map<String, String> env) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("reconcile: " + e.getMessage());
            System.err.println("usage: reconcile [--org ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--settle SECONDS]");
            return 2;
        }
        try (Connection billing = DriverManager.getConnection(
                     env.getOrDefault("MARGINAL_DB_URL", "jdbc:postgresql://127.0.0.1:15432/marginal"),
                     env.getOrDefault("MARGINAL_DB_USER", "marginal"), env.getOrDefault("MARGINAL_DB_PASSWORD", "marginal"));
             Connection trino = DriverManager.getConnection(
                     env.getOrDefault("MARGINAL_TRINO_URL", "jdbc:trino://127.0.0.1:8088/marginal"),
                     env.getOrDefault("MARGINAL_TRINO_USER", "platform"), env.get("MARGINAL_TRINO_PASSWORD"))) {
            return new Reconcile(billing, trino, System.out,
                    Optional.ofNullable(env.get("MARGINAL_HOME")).map(Path::of)).reconcile(options);
        }
    }

    int reconcile(Options options) throws SQLException, InterruptedException {
        // One cutoff for both sides, taken from billing-core's clock: what it had accepted by now.
        Scope scope = options.scope().withCutoff(billingNow());
        long deadline = System.nanoTime() + options.settle().toNanos();
        Map<Figure, BigDecimal> truth;
        List<Difference> differences;
        while (true) {
            truth = BillingSide.figures(billing, scope);
            differences = Reconciliation.compare(truth, WarehouseSide.figures(trino, scope));
            if (differences.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(2_000);
        }
        long organizations = truth.keySet().stream().map(Figure::organizationId).distinct().count();
        out.printf("reconcile: %s..%s, %d organisation(s), %d figures in billing-core%n",
                scope.from(), scope.to(), organizations, truth.size());
        if (!differences.isEmpty()) {
            out.printf("%-36s  %-10s  %-16s  %22s  %22s  %22s%n", "ORGANIZATION", "DAY", "METRIC", "BILLING", "WAREHOUSE", "DIFFERENCE");
            for (Difference d : differences) {
                out.printf("%-36s  %-10s  %-16s  %22s  %22s  %22s%n", d.figure().organizationId(), d.figure().day(),
                        d.figure().metric(), d.billing().toPlainString(), d.warehouse().toPlainString(), d.delta().toPlainString());
            }
        }
        out.printf("reconcile: %d difference(s)%n", differences.size());
        if (scope.organizationId().isEmpty() && home.isPresent()) {
            DriftMetrics.write(home.get(), DriftMetrics.render(truth, differences, java.time.Instant.now()));
        }
        return differences.isEmpty() ? 0 : 1;
    }

    private java.time.Instant billingNow() throws SQLException {
        try (java.sql.Statement statement = billing.createStatement();
             java.sql.ResultSet now = statement.executeQuery("SELECT now()")) {
            now.next();
            return now.getTimestamp(1).toInstant();
        }
    }

    record Options(Scope scope, Duration settle) {

        static Options parse(String[] args) {
            Optional<UUID> org = Optional.empty();
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            LocalDate from = today.minusDays(90);
            LocalDate to = today;
            Duration settle = Duration.ofSeconds(30);
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                try {
                    switch (flag) {
                        case "--org" -> org = Optional.of(uuid(value));
                        case "--from" -> from = LocalDate.parse(value);
                        case "--to" -> to = LocalDate.parse(value);
                        case "--settle" -> settle = Duration.ofSeconds(Long.parseLong(value));
                        default -> throw new IllegalArgumentException("unknown option " + flag);
                    }
                } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
                    throw new IllegalArgumentException("bad value for " + flag + ": " + value);
                }
            }
            return new Options(new Scope(org, from, to), settle);
        }

        private static UUID uuid(String value) {
            if (!value.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                throw new NumberFormatException("not an organisation id");
            }
            return UUID.fromString(value);
        }
    }
}
