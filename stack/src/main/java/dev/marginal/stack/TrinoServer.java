package dev.marginal.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Trino 476 as a single coordinator that also runs the tasks, with catalog {@code marginal}
 * (Iceberg on the JDBC catalog in PostgreSQL). Runs on a JDK ≥ 24 from the unpacked server in
 * {@code stack/target/trino-server}; its configuration is rendered under {@code $MARGINAL_HOME/trino/etc}.
 *
 * <p>Needs the stack's PostgreSQL to be up: the catalog lives there.
 */
public final class TrinoServer implements Service, AutoCloseable {

    static final String NAME = "trino";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StackConfig config;
    private final TrinoConfig trinoConfig;
    private final TrinoSecurity security;
    private final Daemon daemon;
    private final boolean discardDataOnClose;

    public TrinoServer(StackConfig config) {
        this(config, false);
    }

    private TrinoServer(StackConfig config, boolean discardDataOnClose) {
        this.config = config;
        this.trinoConfig = TrinoConfig.of(config);
        this.security = new TrinoSecurity(config);
        this.daemon = Daemon.of(config, NAME);
        this.discardDataOnClose = discardDataOnClose;
    }

    /**
     * A started Trino for a test, on the PostgreSQL at {@code postgresPort} (started by the caller,
     * e.g. with {@link PostgresServer#startForTests}, on the same home). Closing it stops Trino and
     * deletes its configuration and data; warehouse files stay, the home is the caller's.
     */
    public static TrinoServer startForTests(Path home, int port, int postgresPort) {
        StackConfig config = StackConfig.fromEnvironment().withHome(home).withTrinoPort(port).withPostgresPort(postgresPort);
        TrinoServer server = new TrinoServer(config, true);
        server.start();
        return server;
    }

    @Override
    public String name() {
        return NAME;
    }

    public String url() {
        return config.trinoUrl();
    }

    public String jdbcUrl() {
        return config.trinoJdbcUrl();
    }

    Path installDir() {
        return config.root().resolve("stack/target/trino-server");
    }

    /** A JDBC connection to catalog {@code marginal} as the platform user, which may do anything. */
    public Connection connect() throws SQLException {
        return connect(TrinoSecurity.PLATFORM_USER, security.password(TrinoSecurity.PLATFORM_USER));
    }

    /** A JDBC connection to catalog {@code marginal} as {@code user}, over HTTPS with its password. */
    public Connection connect(String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(config.trinoJdbcUrl(), props);
    }

    public TrinoSecurity security() {
        return security;
    }

    @Override
    public synchronized void start() {
        if (daemon.isRunning()) {
            // Running but slow to answer (a loaded machine): wait for it rather than start a second one.
            Readiness.await(daemon, Duration.ofSeconds(180), this::answers);
            applySchemas();
            return;
        }
        if (!Files.isDirectory(installDir().resolve("lib")) || !Files.isDirectory(installDir().resolve("plugin/iceberg"))) {
            throw new StackException("Trino server not found in " + installDir() + "; build the stack module first"
                    + " (./mvnw -pl stack -DskipTests package; the first build downloads ~540 MB into ~/.m2)");
        }
        Path java = JavaRuntime.forTrino(config.trinoJavaHome(), JavaRuntime.JVM_ROOT);
        Readiness.requireFree(config.trinoPort(), "MARGINAL_TRINO_PORT", "Trino");
        Readiness.requireFree(config.trinoInternalPort(), "MARGINAL_TRINO_PORT (+1, Trino's internal HTTP port)", "Trino");
        security.prepare(java);
        trinoConfig.write();
        Progress.say("starting Trino on " + config.trinoUrl() + " (first start takes ~20 s)…");
        daemon.launch(command(java), Map.of(), config.home().resolve("trino"));
        Readiness.await(daemon, Duration.ofSeconds(180), this::answers);
        applySchemas();
    }

    List<String> command(Path java) {
        Path etc = trinoConfig.etcDir();
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(trinoConfig.jvmFlags());
        command.addAll(trinoConfig.nodeSystemProperties());
        command.add("-Dconfig=" + etc.resolve("config.properties"));
        command.add("-Dlog.levels-file=" + etc.resolve("log.properties"));
        command.add("-Dcatalog.config-dir=" + etc.resolve("catalog"));
        command.add("-Dpassword-authenticator.config-files=" + etc.resolve("password-authenticator.properties"));
        command.add("-Daccess-control.config-files=" + etc.resolve("access-control.properties"));
        command.add("-Dplugin.dir=" + installDir().resolve("plugin"));
        command.add("-Dsecrets-plugins-dir=" + installDir().resolve("secrets-plugin"));
        command.add("-Dmarginal.home=" + config.home());
        command.add("-cp");
        command.add(installDir().resolve("lib") + "/*");
        command.add("io.trino.server.TrinoServer");
        return command;
    }

    /** Ready = the coordinator says it has finished starting and answers a query. */
    private boolean answers() throws Exception {
        HttpResponse<String> info = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.trinoInternalPort() + "/v1/info"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        if (info.statusCode() != 200) {
            return false;
        }
        JsonNode body = new ObjectMapper().readTree(info.body());
        if (body.path("starting").asBoolean(true)) {
            return false;
        }
        try (Connection connection = connect();
             Statement sql = connection.createStatement();
             ResultSet one = sql.executeQuery("SELECT 1")) {
            return one.next() && one.getInt(1) == 1;
        }
    }

    /**
     * Applies the warehouse's SQL (schemas, tables, views) in the order of
     * {@code warehouse/src/main/resources/sql/apply-order.txt}; every statement is idempotent.
     */
    public void applySchemas() {
        // A warehouse from a release before a derived table (customer_day_deltas, subscription_lines):
        // what the pipelines have written so far is only in the tables it derives from, so the new
        // table starts from them.
        boolean hasFacts = tableExists("revenue_facts");
        List<String> backfill = WarehouseBackfill.TABLES.stream().filter(t -> hasFacts && !tableExists(t)).toList();
        for (String file : SqlScript.applyOrder()) {
            try (Connection connection = connect(); Statement sql = connection.createStatement()) {
                for (String statement : SqlScript.fromClasspath("/sql/" + file)) {
                    sql.execute(statement);
                }
            } catch (SQLException e) {
                throw new StackException("Trino is up but applying warehouse " + file + " failed: " + e.getMessage(), e);
            }
        }
        for (String table : backfill) {
            try (Connection connection = connect()) {
                Progress.say("analytics." + table + " is new: filling it from the tables it derives from…");
                Progress.say("  " + WarehouseBackfill.all(connection, table) + " rows");
            } catch (SQLException e) {
                throw new StackException("filling analytics." + table + " failed: " + e.getMessage(), e);
            }
        }
    }

    private boolean tableExists(String analyticsTable) {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM marginal.information_schema.tables WHERE table_schema = 'analytics' AND table_name = ?")) {
            query.setString(1, analyticsTable);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new StackException("Trino is up but does not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        daemon.stop(Duration.ofSeconds(20));
    }

    @Override
    public Health health() {
        if (!daemon.isRunning()) {
            return Health.down(NAME, "not running");
        }
        try {
            return answers() ? Health.up(NAME, config.trinoUrl()) : Health.down(NAME, "starting");
        } catch (Exception e) {
            return Health.down(NAME, "running but not answering: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
        if (discardDataOnClose) {
            Directories.deleteTree(config.home().resolve("trino"));
        }
    }
}
