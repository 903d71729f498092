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
        S3 s3,
        int cdcHealthPort,
        int flinkHealthPort) implements Serializable {

    /**
     * Where table files go when {@code MARGINAL_WAREHOUSE} is an {@code s3://} location (the cluster
     * profile): an S3-compatible endpoint (empty: AWS's own), its region, and whether buckets are
     * addressed by path (MinIO and most S3-compatible stores) rather than by host name. Credentials
     * are the AWS SDK's usual ones ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}).
     */
    public record S3(String endpoint, String region, boolean pathStyleAccess) implements Serializable {
    }

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
                new S3(env.getOrDefault("MARGINAL_S3_ENDPOINT", ""), env.getOrDefault("MARGINAL_S3_REGION", "us-east-1"),
                        Boolean.parseBoolean(env.getOrDefault("MARGINAL_S3_PATH_STYLE_ACCESS", "false"))),
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
