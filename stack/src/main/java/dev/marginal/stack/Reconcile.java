package dev.marginal.stack;

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
        return Foreground.run(config, command, "reconcile");
    }
}
