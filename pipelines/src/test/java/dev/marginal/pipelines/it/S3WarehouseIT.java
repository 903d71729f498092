package dev.marginal.pipelines.it;

import static dev.marginal.pipelines.dayclose.Checkpoints.append;
import static dev.marginal.pipelines.dayclose.Checkpoints.files;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.flink.IcebergTables;
import dev.marginal.pipelines.flink.billing.UsageCostDeltasTable;
import dev.marginal.stack.Directories;
import dev.marginal.stack.PostgresServer;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster profile's warehouse: an {@code s3://} location on S3-compatible storage (Adobe's S3Mock,
 * its own process from Maven Central's exec jar, as MinIO would be in a cluster). Two checkpoints'
 * deltas of a past day are committed through the job's catalog settings
 * ({@link IcebergTables#catalogLoader}); then the job jar itself runs {@code day-close --once} with
 * the cluster profile's S3 keys and closes the day on S3 — the jar carries Iceberg's S3 client, and
 * the bytes are in the bucket.
 */
class S3WarehouseIT {

    static final int PG_PORT = 19438;
    static final int S3_HTTP = 19490;
    static final int S3_HTTPS = 19491;
    static final String BUCKET = "marginal-it";
    static final LocalDate DAY = LocalDate.parse("2026-09-01");

    static Path home;
    static PostgresServer postgres;
    static S3MockServer s3;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        home = Path.of(System.getProperty("marginal.pipelines.it.home", "target/it-home")).toAbsolutePath().resolveSibling("it-home-s3");
        Directories.deleteTree(home);
        Files.createDirectories(home.resolve("logs"));
        postgres = PostgresServer.startForTests(home, PG_PORT);
        s3 = S3MockServer.start(Path.of(System.getProperty("marginal.s3mock.jar", "target/s3mock/s3mock.jar")), home,
                S3_HTTP, S3_HTTPS, BUCKET);

        env = new HashMap<>();
        env.put("MARGINAL_HOME", home.toString());
        env.put("MARGINAL_CATALOG_URL", postgres.jdbcUrl("marginal_catalog"));
        env.put("MARGINAL_CATALOG_USER", PostgresServer.USER);
        env.put("MARGINAL_CATALOG_PASSWORD", PostgresServer.PASSWORD);
        env.put("MARGINAL_WAREHOUSE", "s3://" + BUCKET + "/warehouse");
        env.put("MARGINAL_S3_ENDPOINT", s3.endpoint());
        env.put("MARGINAL_S3_REGION", "us-east-1");
        env.put("MARGINAL_S3_PATH_STYLE_ACCESS", "true");
        env.put("AWS_ACCESS_KEY_ID", "marginal-it");
        env.put("AWS_SECRET_ACCESS_KEY", "marginal-it");
        // This JVM's AWS SDK reads the same credentials from system properties.
        System.setProperty("aws.accessKeyId", "marginal-it");
        System.setProperty("aws.secretAccessKey", "marginal-it");
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theJobJarClosesADayOfATableOnS3() throws Exception {
        Catalog catalog = IcebergTables.catalogLoader(PipelinesConfig.from(env)).loadCatalog();
        Table table = IcebergTables.ensureExists(catalog, UsageCostDeltasTable.IDENTIFIER, UsageCostDeltasTable.SCHEMA,
                UsageCostDeltasTable.SPEC);
        assertThat(table.location()).startsWith("s3://" + BUCKET + "/warehouse/");
        append(table, delta("1.250000000000", 1));
        append(table, delta("2.500000000000", 2));
        assertThat(files(table, DAY)).hasSize(2);

        Path jar = Path.of(System.getProperty("marginal.pipelines.jar", "target/marginal-pipelines.jar"));
        ProcessBuilder dayClose = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "day-close", "--once")
                .redirectErrorStream(true).redirectOutput(home.resolve("logs/day-close.log").toFile());
        dayClose.environment().putAll(env);
        Process run = dayClose.start();
        assertThat(run.waitFor(180, TimeUnit.SECONDS)).as("day-close --once finished").isTrue();
        assertThat(run.exitValue()).as("day-close exit (log: %s)", home.resolve("logs/day-close.log")).isZero();

        List<DataFile> closed = files(table, DAY);
        assertThat(closed).singleElement().satisfies(f -> assertThat(f.location())
                .startsWith("s3://" + BUCKET + "/warehouse/").contains("-day-close-v2-"));
        List<List<Object>> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
            read.forEach(r -> rows.add(List.of(r.getField("organization_id"), r.getField("cost"), r.getField("events"))));
        }
        assertThat(rows).containsExactly(List.of("org-s3", new BigDecimal("3.750000000000"), 3L));
        // The closed file is an object in the bucket, as S3 lists it.
        String key = URI.create(closed.get(0).location()).getPath().substring(1);
        assertThat(s3.list(BUCKET, "warehouse/")).contains("<Key>" + key + "</Key>");
    }

    static Record delta(String cost, long events) {
        GenericRecord r = GenericRecord.create(UsageCostDeltasTable.SCHEMA);
        r.setField("organization_id", "org-s3");
        r.setField("customer_id", "cus-s3");
        r.setField("feature", "chat");
        r.setField("day", DAY);
        r.setField("currency", "usd");
        r.setField("cost", new BigDecimal(cost));
        r.setField("events", events);
        return r;
    }
}
