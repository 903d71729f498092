package dev.marginal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resident memory of every process the stack started (the pids in {@code $MARGINAL_HOME/run} and
 * all their descendants, e.g. PostgreSQL's backends). RSS counts shared pages once per process and
 * so overstates; PSS splits them fairly; both are reported.
 */
public final class StackMemory {

    public record Usage(String component, long rssKib, long pssKib, int processes) {}

    public static List<Usage> measure(Path runDir) throws IOException {
        List<Usage> usages = new ArrayList<>();
        try (Stream<Path> pidFiles = Files.list(runDir)) {
            for (Path pidFile : pidFiles.filter(p -> p.toString().endsWith(".pid")).sorted().toList()) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                String component = pidFile.getFileName().toString().replace(".pid", "");
                ProcessHandle.of(pid).ifPresent(process -> {
                    List<ProcessHandle> tree = new ArrayList<>();
                    tree.add(process);
                    process.descendants().forEach(tree::add);
                    long rss = 0;
                    long pss = 0;
                    for (ProcessHandle p : tree) {
                        rss += field(Path.of("/proc", Long.toString(p.pid()), "status"), "VmRSS:");
                        pss += field(Path.of("/proc", Long.toString(p.pid()), "smaps_rollup"), "Pss:");
                    }
                    usages.add(new Usage(component, rss, pss, tree.size()));
                });
            }
        }
        return usages;
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading: it uses no memory any more
        }
        return 0;
    }

    public static void main(String[] args) throws IOException {
        Path home = Path.of(System.getenv().getOrDefault("MARGINAL_HOME", ".marginal"));
        long rss = 0;
        long pss = 0;
        System.out.printf("%-16s %10s %10s %6s%n", "component", "RSS MiB", "PSS MiB", "procs");
        for (Usage u : measure(home.resolve("run"))) {
            System.out.printf("%-16s %10d %10d %6d%n", u.component(), u.rssKib() / 1024, u.pssKib() / 1024, u.processes());
            rss += u.rssKib();
            pss += u.pssKib();
        }
        System.out.printf("%-16s %10d %10d%n", "total", rss / 1024, pss / 1024);
    }
}
