package dev.marginal.e2e;

import dev.marginal.stack.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one real stack of a {@code verify} run: started through {@code bin/marginal up} on first use,
 * exactly as a user starts it, and stopped by {@link StopStackAfterTests} when the test session ends.
 *
 * <p>Its ports and {@code MARGINAL_HOME} come from the failsafe configuration, so a demo running on
 * the default ports is left alone. Tests share it and keep apart by each using its own organisation.
 */
public final class SharedStack {

    private static SharedStack instance;

    private final Path root;
    private final Path home;
    private boolean stopped;

    private SharedStack(Path root, Path home) {
        this.root = root;
        this.home = home;
    }

    public static synchronized SharedStack get() {
        if (instance == null) {
            SharedStack stack = new SharedStack(Path.of(env("MARGINAL_ROOT")), Path.of(env("MARGINAL_HOME")));
            stack.start();
            instance = stack;
        }
        return instance;
    }

    static synchronized void stopIfStarted() {
        if (instance != null && !instance.stopped) {
            instance.stopped = true;
            instance.marginal(Duration.ofMinutes(2), "down");
        }
    }

    private void start() {
        // A previous run that died mid-way may have left processes behind: stop them, start afresh.
        marginal(Duration.ofMinutes(2), "down");
        Directories.deleteTree(home);
        CommandResult up = marginal(Duration.ofMinutes(10), "up");
        if (up.exitCode() != 0 || !up.output().strip().endsWith("ready")) {
            throw new IllegalStateException("bin/marginal up failed (exit " + up.exitCode() + "):\n" + up.output()
                    + "\nlogs are in " + home.resolve("logs"));
        }
    }

    public record CommandResult(int exitCode, String output) {}

    /** Runs {@code bin/marginal <args>} with this stack's environment and returns its exit code and output. */
    public CommandResult marginal(Duration timeout, String... args) {
        return marginal(Map.of(), timeout, args);
    }

    /** The same with some variables replaced, e.g. another MARGINAL_HOME and ports: another stack. */
    public CommandResult marginal(Map<String, String> environment, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("bin/marginal").toString());
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("marginal-" + args[0], ".log");
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("bin/marginal " + String.join(" ", args) + " took longer than " + timeout
                        + ":\n" + Files.readString(output));
            }
            String text = Files.readString(output);
            Files.deleteIfExists(output);
            return new CommandResult(process.exitValue(), text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path home() {
        return home;
    }

    public String billingUrl() {
        return "http://127.0.0.1:" + env("MARGINAL_BILLING_PORT");
    }

    public String dashboardUrl() {
        return "http://127.0.0.1:" + env("MARGINAL_DASHBOARD_PORT");
    }

    public String platformToken() {
        return read(home.resolve("platform-token"));
    }

    /** A connection to Trino on catalog {@code marginal} as the platform user, which reads every organisation. */
    public Connection trino() throws SQLException {
        return trino("platform", trinoPassword("platform"));
    }

    /** A connection to Trino as {@code user}: HTTPS, trusting the stack's own certificate. */
    public Connection trino(String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:trino://127.0.0.1:" + env("MARGINAL_TRINO_PORT") + "/marginal"
                + "?SSL=true&SSLTrustStorePath=" + home.resolve("trino/tls/trino.pem"), user, password);
    }

    /** The password of a Trino user the stack created (platform, finance, analysts), from the stack's home. */
    public String trinoPassword(String user) {
        return read(home.resolve("trino/passwords").resolve(user));
    }

    /** A connection to billing-core's own database, to check what it wrote. */
    public Connection billingDatabase() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + env("MARGINAL_POSTGRES_PORT") + "/marginal", "marginal", "marginal");
    }

    /** The pid of a component the stack started, from its pid file. */
    public long pid(String component) {
        return Long.parseLong(read(home.resolve("run").resolve(component + ".pid")));
    }

    public Map<String, String> environment() {
        return System.getenv();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the e2e tests through ./mvnw verify");
        }
        return value;
    }
}
