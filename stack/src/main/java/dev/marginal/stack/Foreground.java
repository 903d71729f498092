package dev.marginal.stack;

import java.io.IOException;
import java.util.List;

/**
 * A command of ours run in the foreground (reconcile, report) with the stack's connection settings,
 * the platform's Trino login included; its output is the user's terminal, its exit code ours.
 */
final class Foreground {

    private Foreground() {}

    static int run(StackConfig config, List<String> command, String what) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(JavaService.environment(config));
        builder.environment().putAll(JavaService.trinoClientEnvironment(config));
        try {
            return builder.start().waitFor();
        } catch (IOException e) {
            throw new StackException("cannot run " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
