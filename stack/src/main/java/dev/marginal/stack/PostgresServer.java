package dev.marginal.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stack's PostgreSQL server: the source of truth for billing-core and the Iceberg JDBC catalog.
 *
 * <p>Listens on 127.0.0.1 only, trusts loopback connections, and keeps its unix socket in a
 * private directory, so it never collides with a system PostgreSQL. {@code wal_level=logical}
 * lets the CDC runner stream changes.
 */
public final class PostgresServer implements Service, AutoCloseable {

    static final String NAME = "postgres";
    public static final String USER = StackConfig.DB_USER;
    public static final String PASSWORD = StackConfig.DB_PASSWORD;

    private final StackConfig config;
    private final PostgresLayout layout;
    private final Daemon daemon;
    private final boolean discardDataOnClose;

    public PostgresServer(StackConfig config) {
        this(config, false);
    }

    private PostgresServer(StackConfig config, boolean discardDataOnClose) {
        this.config = config;
        this.layout = PostgresLayout.of(config.home());
        // The data directory is on the server's command line, wherever it lives.
        this.daemon = new Daemon(NAME, config.pidFile(NAME), config.logFile(NAME), layout.dataDir().toString());
        this.discardDataOnClose = discardDataOnClose;
    }

    /**
     * A started server for a test: state under {@code home}, listening on {@code port}. Closing it
     * stops the server and deletes its data, so independent tests may each run their own.
     */
    public static PostgresServer startForTests(Path home, int port) {
        StackConfig config = StackConfig.fromEnvironment().withHome(home).withPostgresPort(port);
        PostgresServer server = new PostgresServer(config, true);
        server.start();
        return server;
    }

    @Override
    public String name() {
        return NAME;
    }

    public int port() {
        return config.postgresPort();
    }

    public Path dataDir() {
        return layout.dataDir();
    }

    /** JDBC URL of {@code database} on this server; connect as {@link #USER}/{@link #PASSWORD}. */
    public String jdbcUrl(String database) {
        return config.jdbcUrl(database);
    }

    /** A connection to {@code database} as role {@code marginal}. */
    public Connection connect(String database) throws SQLException {
        return PostgresBootstrap.connect(port(), database, USER);
    }

    @Override
    public synchronized void start() {
        if (daemon.isRunning()) {
            // Running but slow to answer (a loaded machine, crash recovery): wait for it rather than
            // start a second one on its data directory and port.
            Readiness.await(daemon, Duration.ofSeconds(60), this::answers);
            bootstrap();
            return;
        }
        PostgresBinaries binaries = PostgresBinaries.locateOrInstall();
        layout.prepare();
        if (layout.isFallback()) {
            Progress.say("PostgreSQL data in " + layout.root() + " (user " + OsUser.SERVICE_USER + " cannot reach "
                    + config.home() + ")");
        }
        if (!Files.exists(layout.dataDir().resolve("PG_VERSION"))) {
            initdb(binaries);
        }
        Readiness.requireFree(port(), "MARGINAL_POSTGRES_PORT", "PostgreSQL");
        Progress.say("starting PostgreSQL on 127.0.0.1:" + port() + "…");
        List<String> command = new ArrayList<>(List.of(binaries.program("postgres").toString(), "-D", layout.dataDir().toString()));
        settings(port(), layout.socketDir()).forEach((key, value) -> {
            command.add("-c");
            command.add(key + "=" + value);
        });
        daemon.launch(OsUser.asServiceUser(command), Map.of(), layout.root());
        Readiness.await(daemon, Duration.ofSeconds(60), this::answers);
        bootstrap();
    }

    private void initdb(PostgresBinaries binaries) {
        Progress.say("initialising PostgreSQL data directory " + layout.dataDir() + "…");
        Commands.runOrFail(OsUser.asServiceUser(List.of(
                binaries.program("initdb").toString(),
                "-D", layout.dataDir().toString(),
                "-U", PostgresBootstrap.SUPERUSER,
                "--auth-local=trust", "--auth-host=trust",
                "--encoding=UTF8", "--no-locale", "--no-instructions")), layout.root(), 120);
    }

    /**
     * Server settings, passed on the command line at every start so that a changed port takes
     * effect without editing postgresql.conf.
     */
    static Map<String, String> settings(int port, Path socketDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listen_addresses", "127.0.0.1");
        settings.put("port", Integer.toString(port));
        // A unix socket path is limited to 107 bytes; past that, TCP only.
        String socket = socketDir.toString().length() + 20 < 107 ? socketDir.toString() : "";
        settings.put("unix_socket_directories", socket);
        settings.put("wal_level", "logical");
        settings.put("max_replication_slots", "10");
        settings.put("max_wal_senders", "10");
        settings.put("max_connections", "200");
        settings.put("logging_collector", "off");
        return settings;
    }

    private boolean answers() {
        try (Connection ignored = PostgresBootstrap.connect(port(), "postgres", PostgresBootstrap.SUPERUSER)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void bootstrap() {
        try {
            PostgresBootstrap.apply(port());
        } catch (SQLException e) {
            throw new StackException("PostgreSQL started but creating role/databases failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (Files.exists(layout.dataDir().resolve("postmaster.pid"))) {
            PostgresBinaries.locate(PostgresBinaries.DEBIAN_ROOT).ifPresent(binaries -> Commands.run(
                    OsUser.asServiceUser(List.of(binaries.program("pg_ctl").toString(), "stop",
                            "-D", layout.dataDir().toString(), "-m", "fast", "-w", "-t", "60")),
                    layout.root(), 90));
        }
        daemon.stop(Duration.ofSeconds(10)); // only if pg_ctl could not stop it
    }

    @Override
    public Health health() {
        if (!daemon.isRunning()) {
            return Health.down(NAME, "not running");
        }
        return answers() ? Health.up(NAME, jdbcUrl(StackConfig.BILLING_DB)) : Health.down(NAME, "running but not accepting connections");
    }

    @Override
    public void close() {
        stop();
        if (discardDataOnClose) {
            Directories.deleteTree(layout.root());
        }
    }

    /**
     * Where the server's files live: {@code $MARGINAL_HOME/pg}, unless we are root and the
     * {@code postgres} user cannot reach that (e.g. a home under /root); then a directory under
     * /var/tmp named after a hash of the home, so each home keeps its own server.
     */
    record PostgresLayout(Path home, Path root, boolean isFallback) {

        static PostgresLayout of(Path home) {
            Path preferred = home.resolve("pg");
            try {
                Files.createDirectories(home);
            } catch (IOException e) {
                throw new UncheckedIOException("could not create " + home, e);
            }
            if (OsUser.serviceUserCanReach(home)) {
                return new PostgresLayout(home, preferred, false);
            }
            return new PostgresLayout(home, Path.of("/var/tmp", "marginal-pg-" + StackConfig.homeId(home)), true);
        }

        Path dataDir() {
            return root.resolve("data");
        }

        Path socketDir() {
            return root.resolve("socket");
        }

        void prepare() {
            OsUser.createPrivateDir(root);
            OsUser.createPrivateDir(dataDir());
            OsUser.createPrivateDir(socketDir());
        }
    }
}
