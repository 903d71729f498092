package dev.marginal.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/marginal report …}: the nightly revenue report (warehouse/reports) with the stack's own
 * connection settings, in the foreground; returns its exit code (2 for a bad argument).
 */
final class Report {

    private Report() {}

    static int run(StackConfig config, List<String> args) {
        Path jar = config.root().resolve("warehouse/reports/target/marginal-reports.jar");
        String classpath = jar + ":" + config.root().resolve("warehouse/reports/target/lib") + "/*";
        List<String> command = new ArrayList<>(List.of(JavaRuntime.current().toString(), "-Xmx256m",
                "-cp", classpath, "dev.marginal.reports.ReportCli"));
        command.addAll(args);
        return Foreground.run(config, command, "the report");
    }
}
