package dev.marginal.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A long-running OS process of the stack, known by its pid file under {@code $MARGINAL_HOME/run}.
 *
 * <p>Processes are started under {@code setsid}, in a session of their own: they outlive the CLI
 * JVM that started them and a Ctrl-C in the terminal that ran {@code up} does not reach them. Their
 * stdout and stderr are appended to {@code $MARGINAL_HOME/logs/<name>.log}.
 *
 * @param marker a string the process's command line must contain for a pid from the pid file to be
 *               trusted; after a reboot the pid may belong to an unrelated process
 */
public record Daemon(String name, Path pidFile, Path logFile, String marker) {

    public static Daemon of(StackConfig config, String name) {
        return new Daemon(name, config.pidFile(name), config.logFile(name), config.home().toString());
    }

    /** Starts {@code command} in its own session and records its pid. */
    public long launch(List<String> command, Map<String, String> environment, Path workingDir) {
        List<String> full = new ArrayList<>();
        full.add("setsid");
        full.addAll(command);
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(pidFile.getParent());
            Files.createDirectories(workingDir);
            Files.writeString(logFile, "---- " + java.time.Instant.now() + " starting: " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(workingDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            // setsid execs in place (our child is never a process group leader), so this pid is the service's own.
            Process process = builder.start();
            Files.writeString(pidFile, process.pid() + "\n");
            awaitExec(process);
            return process.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", command), e);
        }
    }

    /**
     * The JDK starts children through a helper ({@code jspawnhelper}) that then execs our command;
     * until it has, /proc shows the helper's command line and {@link #isOurs} would call a healthy
     * start "not running". Wait (briefly) until the command line is ours or the process is gone.
     */
    private void awaitExec(Process process) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (process.isAlive() && !isOurs(process.toHandle()) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** The running process named by the pid file, if any. */
    public Optional<ProcessHandle> process() {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isRunning() {
        return process().isPresent();
    }

    private boolean isOurs(ProcessHandle handle) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(handle.pid()), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').contains(marker);
        } catch (IOException e) {
            return false; // gone, or not Linux: do not signal what we cannot identify
        }
    }

    /** SIGTERM, up to {@code grace} for a clean exit, then SIGKILL; removes the pid file. */
    public void stop(Duration grace) {
        process().ifPresent(handle -> {
            handle.destroy();
            if (!waitForExit(handle, grace)) {
                Progress.say(name + " did not stop within " + grace.toSeconds() + " s; killing it");
                handle.destroyForcibly();
                waitForExit(handle, Duration.ofSeconds(10));
            }
        });
        forget();
    }

    public void forget() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean waitForExit(ProcessHandle handle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handle.isAlive() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
        }
        return !handle.isAlive();
    }

    /** The last lines of the log, to explain a failed start. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log at " + logFile + ")";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
