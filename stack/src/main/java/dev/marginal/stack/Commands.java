package dev.marginal.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short-lived helper commands (initdb, pg_ctl, apt-get, kafka-storage): run to completion, output kept. */
final class Commands {

    /** What a finished command printed, and how it ended. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Commands() {}

    static Result run(List<String> command, Path workingDir, long timeoutSeconds) {
        try {
            Path output = Files.createTempFile("marginal-cmd", ".out");
            try {
                Process process = new ProcessBuilder(command)
                        .directory(workingDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(output.toFile())
                        .redirectErrorStream(true)
                        .start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new StackException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.ISO_8859_1));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new StackException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while running " + command.get(0), e);
        }
    }

    /** Runs the command and fails with its output when it does not exit 0. */
    static String runOrFail(List<String> command, Path workingDir, long timeoutSeconds) {
        Result result = run(command, workingDir, timeoutSeconds);
        if (!result.ok()) {
            throw new StackException(String.join(" ", command) + " failed (exit " + result.exitCode() + "):\n" + result.output());
        }
        return result.output();
    }

    static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
