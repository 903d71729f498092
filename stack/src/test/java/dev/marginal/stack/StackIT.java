package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL, Kafka and Trino as real processes on ports of their own, in a scratch home: they come
 * up, Trino writes and reads Iceberg tables in the JDBC catalog, and {@code down} leaves nothing behind.
 */
class StackIT {

    static final int POSTGRES = 25433;
    static final int KAFKA = 29092;
    static final int KAFKA_CONTROLLER = 29093;
    static final int TRINO = 28088;

    @TempDir
    Path home;

    private Stack stack;

    @AfterEach
    void stopWhateverIsLeft() {
        if (stack != null) {
            stack.down();
            Directories.deleteTree(stack.postgres().dataDir().getParent()); // a /var/tmp fallback outlives @TempDir
        }
    }

    @Test
    void infrastructureComesUpServesIcebergTablesAndGoesDownWithoutLeftovers() throws Exception {
        StackConfig config = StackConfig.from(Map.of(
                        "MARGINAL_HOME", home.toString(),
                        "MARGINAL_POSTGRES_PORT", Integer.toString(POSTGRES),
                        "MARGINAL_KAFKA_PORT", Integer.toString(KAFKA),
                        "MARGINAL_KAFKA_CONTROLLER_PORT", Integer.toString(KAFKA_CONTROLLER),
                        "MARGINAL_TRINO_PORT", Integer.toString(TRINO)),
                Path.of("").toAbsolutePath());
        stack = new Stack(config);

        long started = System.nanoTime();
        stack.upInfrastructure();
        System.out.printf("PostgreSQL + Kafka + Trino up in %.1f s%n", (System.nanoTime() - started) / 1e9);

        assertThat(stack.status()).filteredOn(h -> List.of("postgres", "kafka", "trino").contains(h.component()))
                .extracting(Health::up).containsExactly(true, true, true);
        List<Long> pids = new ArrayList<>();
        for (String name : List.of("postgres", "kafka", "trino")) {
            pids.add(Long.parseLong(Files.readString(config.pidFile(name)).trim()));
        }

        try (Connection trino = stack.trino().connect(); Statement sql = trino.createStatement()) {
            assertThat(rows(sql, "SHOW SCHEMAS FROM marginal")).contains("raw", "analytics", "reports", "simulations");
            sql.execute("CREATE TABLE raw.invoice_lines (id BIGINT, amount DECIMAL(38,12), currency VARCHAR)");
            sql.execute("INSERT INTO raw.invoice_lines VALUES (1, 12.5, 'USD'), (2, 0.000000000001, 'USD')");
            assertThat(rows(sql, "SELECT CAST(sum(amount) AS VARCHAR) FROM raw.invoice_lines")).containsExactly("12.500000000001");
            // New tables are located with file: URIs, which Iceberg Java (Flink's HadoopFileIO) reads too.
            assertThat(rows(sql, "SELECT \"$path\" FROM raw.invoice_lines")).allMatch(p -> p.startsWith("file:///" + home.toString().substring(1)));

            // A table whose metadata says file:/path, as HadoopFileIO writes it, reads back and registers.
            String hadoopStyle = "file:" + home.resolve("warehouse/raw/hadoop_style");
            sql.execute("CREATE TABLE raw.hadoop_style (id BIGINT) WITH (location = '" + hadoopStyle + "')");
            sql.execute("INSERT INTO raw.hadoop_style VALUES 7");
            assertThat(rows(sql, "SELECT \"$path\" FROM raw.hadoop_style")).allMatch(p -> p.startsWith("file:/" + home.toString().substring(1)));
            sql.execute("CALL marginal.system.register_table(schema_name => 'raw', table_name => 'registered',"
                    + " table_location => '" + hadoopStyle + "')");
            assertThat(rows(sql, "SELECT CAST(id AS VARCHAR) FROM raw.registered")).containsExactly("7");
        }
        try (Connection catalog = stack.postgres().connect("marginal_catalog"); Statement sql = catalog.createStatement()) {
            assertThat(rows(sql, "SELECT table_name FROM iceberg_tables WHERE catalog_name = 'marginal' AND table_namespace = 'raw' ORDER BY 1"))
                    // beside the warehouse's own raw tables and views (raw.cdc_changes, raw.<billing table>)
                    .contains("hadoop_style", "invoice_lines", "registered");
        }

        started = System.nanoTime();
        stack.down();
        System.out.printf("down in %.1f s%n", (System.nanoTime() - started) / 1e9);

        // A process that has just exited stays visible until its parent reaps it: allow for that.
        assertThat(pids).allMatch(StackIT::goneWithin10Seconds);
        assertThat(List.of(POSTGRES, KAFKA, KAFKA_CONTROLLER, TRINO)).allMatch(Readiness::portFree);
        try (Stream<Path> pidFiles = Files.list(config.runDir())) {
            assertThat(pidFiles.filter(p -> p.toString().endsWith(".pid"))).isEmpty();
        }
        assertThat(stack.status()).noneMatch(Health::up);
    }

    private static boolean goneWithin10Seconds(long pid) {
        return ProcessHandle.of(pid).map(p -> {
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return !p.isAlive();
            }
        }).orElse(true);
    }

    private static List<String> rows(Statement sql, String query) throws Exception {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
