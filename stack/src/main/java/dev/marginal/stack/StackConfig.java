package dev.marginal.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Where the local stack keeps its state and which ports it listens on.
 *
 * <p>Every value comes from the variables in docs/architecture.md. A Java system property of the
 * same name wins over the environment variable, so tests can move a stack to other ports and
 * another home without touching the process environment.
 *
 * @param root       the project checkout (holds {@code bin/marginal} and the module jars)
 * @param home       state directory: logs, pid files, data of every service
 * @param trinoJavaHome a JDK ≥ 24 for Trino, or empty to look for one under /usr/lib/jvm
 * @param trinoHeap  Trino's -Xmx, e.g. {@code 2G}
 */
public record StackConfig(
        Path root,
        Path home,
        int postgresPort,
        int kafkaPort,
        int kafkaControllerPort,
        int trinoPort,
        int billingPort,
        int dashboardPort,
        int cdcHealthPort,
        int flinkHealthPort,
        Optional<Path> trinoJavaHome,
        String trinoHeap) {

    public static final String DB_USER = "marginal";
    public static final String DB_PASSWORD = "marginal";
    public static final String BILLING_DB = "marginal";
    public static final String CATALOG_DB = "marginal_catalog";
    /** Iceberg catalog name, both in the JDBC catalog tables and as the Trino catalog. */
    public static final String ICEBERG_CATALOG = "marginal";

    public StackConfig {
        root = root.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
        trinoJavaHome = trinoJavaHome.map(p -> p.toAbsolutePath().normalize());
    }

    /** The configuration of this process: system properties, then environment, then defaults. */
    public static StackConfig fromEnvironment() {
        Map<String, String> settings = new HashMap<>(System.getenv());
        System.getProperties().forEach((k, v) -> settings.put(k.toString(), v.toString()));
        return from(settings, Path.of("").toAbsolutePath());
    }

    /** The configuration described by {@code settings} (variable name → value) for a process in {@code cwd}. */
    public static StackConfig from(Map<String, String> settings, Path cwd) {
        Settings s = new Settings(settings);
        Path root = s.text("MARGINAL_ROOT").map(Path::of).orElseGet(() -> findRoot(cwd).orElse(cwd));
        Path home = s.text("MARGINAL_HOME").map(h -> root.resolve(h)).orElse(root.resolve(".marginal"));
        return new StackConfig(
                root,
                home,
                s.port("MARGINAL_POSTGRES_PORT", 15432),
                s.port("MARGINAL_KAFKA_PORT", 9092),
                s.port("MARGINAL_KAFKA_CONTROLLER_PORT", 9093),
                s.port("MARGINAL_TRINO_PORT", 8088),
                s.port("MARGINAL_BILLING_PORT", 8080),
                s.port("MARGINAL_DASHBOARD_PORT", 8090),
                s.port("MARGINAL_CDC_HEALTH_PORT", 8091),
                s.port("MARGINAL_FLINK_HEALTH_PORT", 8092),
                s.text("TRINO_JAVA_HOME").map(Path::of),
                s.text("MARGINAL_TRINO_HEAP").orElse("2G"));
    }

    /** The project root: the nearest directory at or above {@code start} with bin/marginal or the parent pom. */
    public static Optional<Path> findRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin/marginal")) || isParentPom(dir.resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static boolean isParentPom(Path pom) {
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        try {
            String xml = Files.readString(pom);
            // A module's pom names marginal-parent too, but only inside <parent>; the root one lists modules.
            return xml.contains("<artifactId>marginal-parent</artifactId>") && xml.contains("<modules>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A short stable name for a home directory, for things that must differ between homes. */
    public static String homeId(Path home) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(home.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public StackConfig withHome(Path newHome) {
        return new StackConfig(root, newHome, postgresPort, kafkaPort, kafkaControllerPort, trinoPort, billingPort,
                dashboardPort, cdcHealthPort, flinkHealthPort, trinoJavaHome, trinoHeap);
    }

    public StackConfig withPostgresPort(int port) {
        return new StackConfig(root, home, port, kafkaPort, kafkaControllerPort, trinoPort, billingPort,
                dashboardPort, cdcHealthPort, flinkHealthPort, trinoJavaHome, trinoHeap);
    }

    public StackConfig withKafkaPorts(int port, int controllerPort) {
        return new StackConfig(root, home, postgresPort, port, controllerPort, trinoPort, billingPort,
                dashboardPort, cdcHealthPort, flinkHealthPort, trinoJavaHome, trinoHeap);
    }

    public StackConfig withTrinoPort(int port) {
        return new StackConfig(root, home, postgresPort, kafkaPort, kafkaControllerPort, port, billingPort,
                dashboardPort, cdcHealthPort, flinkHealthPort, trinoJavaHome, trinoHeap);
    }

    public StackConfig withServicePorts(int billing, int cdcHealth, int flinkHealth) {
        return new StackConfig(root, home, postgresPort, kafkaPort, kafkaControllerPort, trinoPort, billing,
                dashboardPort, cdcHealth, flinkHealth, trinoJavaHome, trinoHeap);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** Trino's client endpoint: HTTPS with a password (docs/warehouse.md, "Access"). */
    public String trinoUrl() {
        return "https://127.0.0.1:" + trinoPort;
    }

    /**
     * Trino's plain-HTTP port, one above {@link #trinoPort()}: node-to-node traffic (shared secret)
     * and the public {@code /v1/info}. Clients cannot log in on it: without TLS Trino would take any
     * user name on trust, so insecure authentication over HTTP stays disabled.
     */
    public int trinoInternalPort() {
        return trinoPort + 1;
    }

    /** JDBC URL of catalog {@code marginal}, trusting the stack's self-signed certificate. */
    public String trinoJdbcUrl() {
        return "jdbc:trino://127.0.0.1:" + trinoPort + "/" + ICEBERG_CATALOG
                + "?SSL=true&SSLTrustStorePath=" + trinoCertificate();
    }

    /** The PEM certificate Trino serves; clients use it as their trust store. */
    public Path trinoCertificate() {
        return home.resolve("trino/tls/trino.pem");
    }

    /** Where the stack keeps a Trino user's password (mode 0600): platform, finance, analysts it created. */
    public Path trinoPasswordFile(String user) {
        return home.resolve("trino/passwords").resolve(user);
    }

    public String billingUrl() {
        return "http://127.0.0.1:" + billingPort;
    }

    /** The founder dashboard's page (warehouse/dashboard). */
    public String dashboardUrl() {
        return "http://127.0.0.1:" + dashboardPort;
    }

    public Path logDir() {
        return home.resolve("logs");
    }

    public Path runDir() {
        return home.resolve("run");
    }

    public Path logFile(String service) {
        return logDir().resolve(service + ".log");
    }

    public Path pidFile(String service) {
        return runDir().resolve(service + ".pid");
    }

    /** Iceberg table files, as a directory. */
    public Path warehouseDir() {
        return home.resolve("warehouse");
    }

    /** The warehouse as Iceberg Java (HadoopFileIO) spells it: the value of MARGINAL_WAREHOUSE. */
    public String warehouseUri() {
        return warehouseDir().toUri().toString().replaceAll("/$", "");
    }

    public Path platformTokenFile() {
        return home.resolve("platform-token");
    }

    public Path invoiceSigningSecretFile() {
        return home.resolve("invoice-signing-secret");
    }

    public Path demoTokenFile() {
        return home.resolve("demo-token");
    }

    /** Reads variables, rejecting bad values with the variable's name in the message. */
    private record Settings(Map<String, String> values) {
        Optional<String> text(String name) {
            return Optional.ofNullable(values.get(name)).map(String::trim).filter(v -> !v.isEmpty());
        }

        int port(String name, int fallback) {
            return text(name).map(v -> parsePort(name, v)).orElse(fallback);
        }

        private static int parsePort(String name, String value) {
            try {
                int port = Integer.parseInt(value);
                if (port > 0 && port < 65536) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a TCP port (1-65535), not '" + value + "'");
        }
    }
}
