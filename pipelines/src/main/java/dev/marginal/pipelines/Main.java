package dev.marginal.pipelines;

import dev.marginal.pipelines.cdc.CdcRunner;
import dev.marginal.pipelines.dayclose.DayClose;
import dev.marginal.pipelines.dlq.DeadLetterReplay;
import dev.marginal.pipelines.flink.RawEventsJob;
import dev.marginal.pipelines.reconcile.Reconcile;
import java.util.Arrays;

/**
 * {@code java -jar marginal-pipelines.jar <cdc|raw-events|day-close|replay-dlq|reset|reconcile>}: each runner is its own
 * process, configured only by the environment (docs/architecture.md); {@code day-close} lays
 * out past days of the delta tables for fast reads (dayclose.DayClose); {@code reconcile} checks
 * the warehouse against billing-core and exits.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:marginal-pipelines-log4j2.xml");
        }
        String command = args.length == 0 ? "" : args[0];
        if (command.equals("reconcile")) {
            System.exit(Reconcile.run(Arrays.copyOfRange(args, 1, args.length), System.getenv()));
        }
        PipelinesConfig config = PipelinesConfig.fromEnvironment();
        int exit = switch (command) {
            case "cdc" -> CdcRunner.run(config);
            case "raw-events" -> RawEventsJob.run(config);
            case "day-close" -> DayClose.run(config, Arrays.asList(args).subList(1, args.length));
            case "replay-dlq" -> DeadLetterReplay.run(config, Arrays.asList(args).subList(1, args.length));
            case "reset" -> Reset.run(config);
            default -> {
                System.err.println("usage: java -jar marginal-pipelines.jar <cdc|raw-events|day-close|replay-dlq|reset|reconcile>");
                yield 2;
            }
        };
        System.exit(exit);
    }
}
