package dev.marginal.notebooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Python virtual environment under target/ with the notebooks' requirements, installed with pip
 * from whatever indexes the machine's pip is configured with (here: the offline indexes of
 * /etc/pip.conf). A stamp of the requirements file makes a second run skip pip.
 */
final class PythonVenv {

    private final Path dir;

    private PythonVenv(Path dir) {
        this.dir = dir;
    }

    Path python() {
        return dir.resolve("bin/python");
    }

    static PythonVenv ready(Path dir, Path requirements) throws IOException, InterruptedException {
        PythonVenv venv = new PythonVenv(dir);
        String wanted = Files.readString(requirements);
        Path stamp = dir.resolve("requirements.installed");
        if (Files.isExecutable(venv.python()) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(wanted)) {
            return venv;
        }
        run(List.of(systemPython(), "-m", "venv", "--clear", dir.toString()), Map.of(), dir.getParent(), 300);
        // Few retries: where the public index is unreachable (CI here), pip's default back-off on it
        // costs minutes, while the configured local indexes answer at once.
        run(List.of(venv.python().toString(), "-m", "pip", "install", "--quiet", "--retries", "1", "--timeout", "30",
                "-r", requirements.toString()), Map.of(), dir.getParent(), 1800);
        Files.writeString(stamp, wanted);
        return venv;
    }

    /** MARGINAL_PYTHON, else python3.11 or python3 on the PATH; the notebooks need Python ≥ 3.10. */
    static String systemPython() throws IOException, InterruptedException {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("MARGINAL_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.addAll(List.of("python3.11", "python3"));
        for (String candidate : candidates) {
            try {
                Result version = run(List.of(candidate, "-c", "import sys; print(sys.version_info >= (3, 10))"), Map.of(), null, 60, false);
                if (version.exitCode() == 0 && version.output().strip().endsWith("True")) {
                    return candidate;
                }
            } catch (IOException notOnPath) {
                // try the next one
            }
        }
        throw new IllegalStateException("no Python ≥ 3.10 found (tried " + candidates + "); set MARGINAL_PYTHON");
    }

    record Result(int exitCode, String output) {}

    static Result run(List<String> command, Map<String, String> env, Path cwd, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(command, env, cwd, timeoutSeconds, true);
    }

    private static Result run(List<String> command, Map<String, String> env, Path cwd, long timeoutSeconds, boolean mustSucceed)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (cwd != null) {
            Files.createDirectories(cwd);
            builder.directory(cwd.toFile());
        }
        builder.environment().putAll(env);
        Path log = Files.createTempFile("marginal-python", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + command);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (mustSucceed && process.exitValue() != 0) {
                throw new IllegalStateException("failed (exit " + process.exitValue() + "): " + command + "\n" + output);
            }
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
