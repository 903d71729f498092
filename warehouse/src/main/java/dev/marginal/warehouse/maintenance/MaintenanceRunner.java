package dev.marginal.warehouse.maintenance;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code maintenance} process: a round of {@link TableMaintenance} every policy interval, for as
 * long as it runs. A round that cannot reach Trino is logged and tried again at the next interval.
 *
 * <p>Configuration is environment, as the stack passes it: {@code MARGINAL_TRINO_URL},
 * {@code MARGINAL_TRINO_USER}, {@code MARGINAL_TRINO_PASSWORD}, {@code MARGINAL_HOME} (for an optional
 * {@code maintenance.properties}). {@code --once} runs one round and exits 0, or 1 if a step failed.
 */
public final class MaintenanceRunner {

    private MaintenanceRunner() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        MaintenancePolicy policy = MaintenancePolicy.load(
                Optional.ofNullable(env.get("MARGINAL_HOME")).map(Path::of), System.getProperties());
        String url = required(env, "MARGINAL_TRINO_URL");
        Properties credentials = new Properties();
        credentials.setProperty("user", required(env, "MARGINAL_TRINO_USER"));
        credentials.setProperty("password", required(env, "MARGINAL_TRINO_PASSWORD"));
        TableMaintenance maintenance = new TableMaintenance(() -> DriverManager.getConnection(url, credentials), policy);
        log("policy " + policy);
        if (args.length > 0 && args[0].equals("--once")) {
            System.exit(runRound(maintenance, 0) ? 0 : 1);
        }
        for (long round = 0; ; round++) {
            runRound(maintenance, round);
            Thread.sleep(policy.interval().toMillis());
        }
    }

    /** Runs and logs one round; true when every step succeeded. */
    static boolean runRound(TableMaintenance maintenance, long number) {
        try {
            long started = System.nanoTime();
            TableMaintenance.Round round = maintenance.run(number);
            for (TableMaintenance.Outcome failure : round.failures()) {
                // Typically a commit conflict with the Flink job's append: the next round tries again.
                log("round " + number + ": " + failure.step() + " on " + failure.table() + " failed, retried next round: "
                        + failure.failure().orElse(""));
            }
            log(String.format("round %d: %d steps, %d failed, %.1f s", number, round.outcomes().size(),
                    round.failures().size(), (System.nanoTime() - started) / 1e9));
            return round.failures().isEmpty();
        } catch (SQLException | RuntimeException e) {
            log("round " + number + " could not run (is Trino up?): " + e.getMessage());
            return false;
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }

    private static void log(String message) {
        System.out.println(Instant.now() + " maintenance: " + message);
        System.out.flush();
    }
}
