package dev.marginal.pipelines;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the pipelines read from the environment, and nothing else (docs/architecture.md,
 * "Configuration"). Defaults are the local stack's, so a bare {@code java -jar} talks to
 * {@code bin/marginal up}.
 */
public record PipelinesConfig(
        Path home,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String kafkaBootstrap,
        String catalogUrl,
        String catalogUser,
        String catalogPassword,
        String warehouse,
        int cdcHealthPort,
        int flinkHealthPort) implements Serializable {

    public static PipelinesConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static PipelinesConfig from(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("MARGINAL_HOME", ".marginal")).toAbsolutePath().normalize();
        return new PipelinesConfig(
                home,
                env.getOrDefault("MARGINAL_DB_URL", "jdbc:postgresql://127.0.0.1:15432/marginal"),
                env.getOrDefault("MARGINAL_DB_USER", "marginal"),
                env.getOrDefault("MARGINAL_DB_PASSWORD", "marginal"),
                env.getOrDefault("MARGINAL_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                env.getOrDefault("MARGINAL_CATALOG_URL", "jdbc:postgresql://127.0.0.1:15432/marginal_catalog"),
                env.getOrDefault("MARGINAL_CATALOG_USER", "marginal"),
                env.getOrDefault("MARGINAL_CATALOG_PASSWORD", "marginal"),
                env.getOrDefault("MARGINAL_WAREHOUSE", home.resolve("warehouse").toUri().toString()),
                Integer.parseInt(env.getOrDefault("MARGINAL_CDC_HEALTH_PORT", "8091")),
                Integer.parseInt(env.getOrDefault("MARGINAL_FLINK_HEALTH_PORT", "8092")));
    }

    public Path cdcDir() {
        return home.resolve("cdc");
    }

    public Path flinkDir() {
        return home.resolve("flink");
    }

    /** The JDBC URL's host, port and database, which Debezium wants as separate settings. */
    public DbAddress dbAddress() {
        return DbAddress.parse(dbUrl);
    }

    public record DbAddress(String host, int port, String database) {
        static DbAddress parse(String jdbcUrl) {
            if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("MARGINAL_DB_URL must be a jdbc:postgresql:// URL: " + jdbcUrl);
            }
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "marginal" : uri.getPath().substring(1);
            return new DbAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database);
        }
    }
}
