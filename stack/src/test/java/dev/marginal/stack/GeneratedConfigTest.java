package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration files the stack writes for Trino, Kafka and PostgreSQL. */
class GeneratedConfigTest {

    @TempDir
    Path home;

    private StackConfig config() {
        return StackConfig.from(Map.of("MARGINAL_ROOT", home.toString(), "MARGINAL_HOME", home.toString(),
                "MARGINAL_POSTGRES_PORT", "25433", "MARGINAL_TRINO_PORT", "28088"), home);
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file)));
        return p;
    }

    @Test
    void trinoCatalogIsIcebergOnTheJdbcCatalogWithTheLocalFileSystem() throws Exception {
        TrinoConfig trino = TrinoConfig.of(config());
        trino.write();

        Properties catalog = load(home.resolve("trino/etc/catalog/marginal.properties"));
        assertThat(catalog.getProperty("connector.name")).isEqualTo("iceberg");
        assertThat(catalog.getProperty("iceberg.catalog.type")).isEqualTo("jdbc");
        assertThat(catalog.getProperty("iceberg.jdbc-catalog.connection-url")).isEqualTo("jdbc:postgresql://127.0.0.1:25433/marginal_catalog");
        assertThat(catalog.getProperty("iceberg.jdbc-catalog.catalog-name")).isEqualTo("marginal");
        assertThat(catalog.getProperty("iceberg.jdbc-catalog.default-warehouse-dir")).isEqualTo("file://" + home + "/warehouse");
        assertThat(catalog.getProperty("fs.native-local.enabled")).isEqualTo("true");
        assertThat(catalog.getProperty("local.location")).isEqualTo("/");
        assertThat(Files.readString(home.resolve("trino/etc/catalog/marginal.properties"))).doesNotContain("${");
    }

    @Test
    void trinoListensOnTheConfiguredPortAndSizesQueryMemoryFromTheHeap() throws Exception {
        TrinoConfig trino = TrinoConfig.of(config());
        trino.write();

        Properties server = load(home.resolve("trino/etc/config.properties"));
        // Clients: HTTPS with a password on the configured port; node-to-node HTTP one above it.
        assertThat(server.getProperty("http-server.https.port")).isEqualTo("28088");
        assertThat(server.getProperty("http-server.http.port")).isEqualTo("28089");
        assertThat(server.getProperty("discovery.uri")).isEqualTo("http://127.0.0.1:28089");
        assertThat(server.getProperty("http-server.authentication.type")).isEqualTo("PASSWORD");
        // Over plain HTTP Trino would take any user name on trust: never allowed.
        assertThat(server.getProperty("http-server.authentication.allow-insecure-over-http")).isEqualTo("false");
        assertThat(server.getProperty("internal-communication.shared-secret")).hasSizeGreaterThan(32);
        // 2G heap: 2048 / 2 for a query, 2048 / 4 headroom; 1024 + 512 < 2048 as Trino requires
        assertThat(server.getProperty("query.max-memory-per-node")).isEqualTo("1024MB");
        assertThat(server.getProperty("memory.heap-headroom-per-node")).isEqualTo("512MB");
        assertThat(trino.jvmFlags()).contains("-Xmx2G", "-XX:+ExitOnOutOfMemoryError").noneMatch(f -> f.startsWith("#"));
        assertThat(trino.nodeSystemProperties()).contains("-Dnode.data-dir=" + home.resolve("trino/data"), "-Dnode.environment=marginal");
    }

    @Test
    void trinoPasswordFileHoldsAPbkdf2HashPerUserAndNoPlainPassword() throws Exception {
        TrinoSecurity security = new TrinoSecurity(config());
        String platform = security.password(TrinoSecurity.PLATFORM_USER);
        security.addUser("alice");

        String passwordDb = Files.readString(home.resolve("trino/etc/password.db"));
        assertThat(passwordDb.lines()).extracting(line -> line.substring(0, line.indexOf(':')))
                .containsExactly("alice", "platform");
        assertThat(passwordDb).doesNotContain(platform).containsPattern("(?m)^platform:10000:[0-9a-f]{32}:[0-9a-f]{64}$");
        assertThat(Files.getPosixFilePermissions(config().trinoPasswordFile("alice")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThatThrownBy(() -> security.addUser("Bob:x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trinoHeapIsParsedAndTooSmallAHeapIsRefused() {
        assertThat(TrinoConfig.heapMegabytes("2G")).isEqualTo(2048);
        assertThat(TrinoConfig.heapMegabytes("1536m")).isEqualTo(1536);
        assertThatThrownBy(() -> TrinoConfig.heapMegabytes("512M")).hasMessageContaining("at least 1G");
        assertThatThrownBy(() -> TrinoConfig.heapMegabytes("lots")).hasMessageContaining("MARGINAL_TRINO_HEAP");
    }

    @Test
    void anUnknownPlaceholderIsAnError() {
        assertThatThrownBy(() -> TrinoConfig.render("x.properties", "a=${nope}", Map.of()))
                .hasMessageContaining("${nope}");
    }

    @Test
    void kafkaIsOneKraftNodeOnLoopback() {
        Map<String, String> p = new KafkaConfig(29092, 29093, home.resolve("kafka/data")).properties();

        assertThat(p).containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:29093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:29092")
                .containsEntry("log.dirs", home.resolve("kafka/data").toString())
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1");
        assertThat(new KafkaConfig(29092, 29093, home).render()).contains("node.id=1\n");
    }

    @Test
    void postgresListensOnLoopbackWithLogicalWal() {
        Map<String, String> s = PostgresServer.settings(25433, Path.of("/var/tmp/marginal-pg-x/socket"));

        assertThat(s).containsEntry("listen_addresses", "127.0.0.1")
                .containsEntry("port", "25433")
                .containsEntry("wal_level", "logical")
                .containsEntry("unix_socket_directories", "/var/tmp/marginal-pg-x/socket")
                .containsKeys("max_replication_slots", "max_wal_senders");
    }

    @Test
    void postgresFallsBackToTcpOnlyWhenTheSocketPathWouldBeTooLong() {
        Path deep = Path.of("/tmp/" + "x".repeat(100));

        assertThat(PostgresServer.settings(25433, deep)).containsEntry("unix_socket_directories", "");
    }

    @Test
    void theIcebergCatalogTablesHaveJdbcCatalogV1Columns() {
        assertThat(PostgresBootstrap.ICEBERG_CATALOG_DDL.get(0))
                .contains("iceberg_tables", "catalog_name", "table_namespace", "table_name", "metadata_location",
                        "previous_metadata_location", "iceberg_type", "PRIMARY KEY (catalog_name, table_namespace, table_name)");
        assertThat(PostgresBootstrap.ICEBERG_CATALOG_DDL.get(1))
                .contains("iceberg_namespace_properties", "PRIMARY KEY (catalog_name, namespace, property_key)");
    }

    @Test
    void servicesReceiveTheDocumentedEnvironment() {
        Map<String, String> env = JavaService.environment(config());

        assertThat(env).containsEntry("MARGINAL_DB_URL", "jdbc:postgresql://127.0.0.1:25433/marginal")
                .containsEntry("MARGINAL_DB_USER", "marginal")
                .containsEntry("MARGINAL_DB_PASSWORD", "marginal")
                .containsEntry("MARGINAL_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
                .containsEntry("MARGINAL_CATALOG_URL", "jdbc:postgresql://127.0.0.1:25433/marginal_catalog")
                .containsEntry("MARGINAL_WAREHOUSE", "file://" + home + "/warehouse");
        assertThat(JavaService.billingCore(config(), "secret", "key").environment())
                .containsEntry("MARGINAL_PLATFORM_TOKEN", "secret").containsEntry("MARGINAL_INVOICE_SIGNING_SECRET", "key");
    }
}
