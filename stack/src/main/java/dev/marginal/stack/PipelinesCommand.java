package dev.marginal.stack;

import java.util.ArrayList;
import java.util.List;

/**
 * The pipelines' one-shot commands, run in the foreground with the stack's own connection settings
 * and their exit code returned: {@code bin/marginal reconcile …} (billing-core against the warehouse,
 * per organisation and day) and {@code bin/marginal close-days} (one day-close round now, what the
 * {@code day-close} process does every few minutes) and {@code bin/marginal replay-dlq [--dry-run]}
 * (dead letters back to the topics they came from, once the job can read them).
 */
final class PipelinesCommand {

    private PipelinesCommand() {}

    static int reconcile(StackConfig config, List<String> args) {
        return run(config, "-Xmx256m", "reconcile", args);
    }

    static int replayDeadLetters(StackConfig config, List<String> args) {
        return run(config, "-Xmx256m", "replay-dlq", args);
    }

    /** Forgets the pipelines' positions (slot, offsets, checkpoints, topics, groups): {@code Rebuild}'s first half. */
    static int reset(StackConfig config) {
        return run(config, "-Xmx256m", "reset", List.of());
    }

    static int closeDays(StackConfig config) {
        return run(config, "-Xmx1g", "day-close", List.of("--once"));
    }

    private static int run(StackConfig config, String heap, String command, List<String> args) {
        List<String> line = new ArrayList<>(List.of(JavaRuntime.current().toString(), heap));
        line.addAll(JavaService.FLINK_OPENS);
        line.addAll(List.of("-jar", JavaService.pipelinesJar(config).toString(), command));
        line.addAll(args);
        return Foreground.run(config, line, command);
    }
}
