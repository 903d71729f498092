package dev.marginal.stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/marginal reconcile …}: runs the pipelines' reconciliation (billing-core against the
 * warehouse, per organisation and day) with the stack's own connection settings, in the
 * foreground, and returns its exit code.
 */
final class Reconcile {

    private Reconcile() {}

    static int run(StackConfig config, List<String> args) {
        List<String> command = new ArrayList<>(List.of(JavaRuntime.current().toString(), "-Xmx256m",
                "-jar", JavaService.pipelinesJar(config).toString(), "reconcile"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(JavaService.environment(config));
        builder.environment().putAll(JavaService.trinoClientEnvironment(config));
        try {
            return builder.start().waitFor();
        } catch (IOException e) {
            throw new StackException("cannot run reconcile: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
