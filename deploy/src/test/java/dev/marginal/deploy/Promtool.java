package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' promtool: from the PATH, else from Debian's {@code prometheus} package unpacked under
 * {@code target/promtool} (downloaded, never installed: no service is started). Without it the SLO
 * tests fail when we are root (CI) and are skipped, saying why, otherwise.
 */
final class Promtool {

    private static Path found;

    private Promtool() {
    }

    record Result(int exit, String output) {
    }

    static synchronized Path path() {
        if (found == null) {
            found = locate();
        }
        return found;
    }

    static Result run(Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(path().toString());
        command.addAll(List.of(args));
        return exec(workDir, command, 300);
    }

    private static Path locate() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path unpacked = Path.of(System.getProperty("marginal.promtool.dir", "target/promtool")).toAbsolutePath();
        Path binary = unpacked.resolve("usr/bin/promtool");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        StringBuilder why = new StringBuilder();
        try {
            Files.createDirectories(unpacked);
            Result download = exec(unpacked, List.of("apt-get", "download", "prometheus"), 300);
            if (download.exit() != 0 && isRoot()) {
                why.append(exec(unpacked, List.of("apt-get", "update", "-qq"), 300).output());
                download = exec(unpacked, List.of("apt-get", "download", "prometheus"), 300);
            }
            why.append(download.output());
            try (var debs = Files.list(unpacked)) {
                for (Path deb : debs.filter(p -> p.toString().endsWith(".deb")).toList()) {
                    why.append(exec(unpacked, List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString()), 300).output());
                    Files.delete(deb);
                }
            }
        } catch (IOException | RuntimeException e) {
            why.append(e);
        }
        if (Files.isExecutable(binary)) {
            return binary;
        }
        String message = "promtool is not on the PATH and Debian's prometheus package could not be unpacked "
                + "(apt-get download prometheus; dpkg-deb -x): " + why;
        if (isRoot()) {
            fail(message);
        }
        Assumptions.abort(message + " — skipped because we are not root; CI runs as root and fails here instead");
        throw new AssertionError("unreachable");
    }

    private static boolean isRoot() {
        return exec(Path.of("."), List.of("id", "-u"), 10).output().strip().equals("0");
    }

    private static Result exec(Path workDir, List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
