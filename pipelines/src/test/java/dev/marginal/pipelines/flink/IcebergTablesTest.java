package dev.marginal.pipelines.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marginal.pipelines.PipelinesConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the job meets a table that already exists: created by itself, or by its previous release. */
public class IcebergTablesTest {

    /** raw.events as the release before trace_id created it. */
    public static final Schema RAW_EVENTS_BEFORE_TRACE_ID = new Schema(
            Types.NestedField.required(1, "id", Types.StringType.get()),
            Types.NestedField.required(2, "organization_id", Types.StringType.get()),
            Types.NestedField.optional(3, "customer_id", Types.StringType.get()),
            Types.NestedField.optional(4, "external_customer_id", Types.StringType.get()),
            Types.NestedField.optional(5, "external_id", Types.StringType.get()),
            Types.NestedField.required(6, "name", Types.StringType.get()),
            Types.NestedField.required(7, "timestamp", Types.TimestampType.withZone()),
            Types.NestedField.required(8, "metadata", Types.StringType.get()),
            Types.NestedField.required(9, "source", Types.StringType.get()),
            Types.NestedField.required(10, "ingested_at", Types.TimestampType.withZone()),
            Types.NestedField.required(11, "cdc_op", Types.StringType.get()),
            Types.NestedField.optional(12, "cdc_lsn", Types.LongType.get()),
            Types.NestedField.optional(13, "cdc_ts", Types.TimestampType.withZone()));

    InMemoryCatalog catalog;

    @BeforeEach
    void catalog() {
        catalog = new InMemoryCatalog();
        catalog.initialize("marginal", Map.of());
        catalog.createNamespace(RawEventsTable.NAMESPACE);
    }

    static List<String> columns(Table table) {
        return table.schema().columns().stream().map(f -> f.name() + " " + f.type() + (f.isRequired() ? " not null" : "")).toList();
    }

    @Test
    void aTableOfThePreviousReleaseGetsTraceIdAddedAtTheEnd() {
        Table old = catalog.createTable(RawEventsTable.IDENTIFIER, RAW_EVENTS_BEFORE_TRACE_ID,
                PartitionSpec.builderFor(RAW_EVENTS_BEFORE_TRACE_ID).day("timestamp").build(), IcebergTables.PROPERTIES);
        int schemaBefore = old.schema().schemaId();

        Table table = RawEventsTable.ensureExists(catalog);

        assertThat(columns(table)).endsWith("trace_id string").hasSize(14);
        assertThat(columns(catalog.loadTable(RawEventsTable.IDENTIFIER)))
                .isEqualTo(RawEventsTable.SCHEMA.columns().stream()
                        .map(f -> f.name() + " " + f.type() + (f.isRequired() ? " not null" : "")).toList());
        // One schema change, and starting again changes nothing.
        assertThat(table.schemas()).hasSize(2);
        int evolved = table.schema().schemaId();
        assertThat(evolved).isNotEqualTo(schemaBefore);
        assertThat(RawEventsTable.ensureExists(catalog).schema().schemaId()).isEqualTo(evolved);
    }

    @Test
    void commitsKeepAFewManifestsOnANewTableAndOnOneAnEarlierReleaseCreated() throws IOException {
        Table fresh = RawEventsTable.ensureExists(catalog);
        TableIdentifier earlierId = TableIdentifier.of(RawEventsTable.NAMESPACE, "created_by_an_earlier_release");
        Table earlier = catalog.createTable(earlierId, RawEventsTable.SCHEMA, fresh.spec(), Map.of());
        appendOneFilePerCommit(earlier, 12);
        assertThat(earlier.currentSnapshot().allManifests(earlier.io())).hasSize(12); // Iceberg's default: no merge below 100

        Table brought = IcebergTables.ensureExists(catalog, earlierId, RawEventsTable.SCHEMA, fresh.spec());
        appendOneFilePerCommit(brought, 1);
        appendOneFilePerCommit(fresh, 30);

        assertThat(brought.properties()).containsEntry(TableProperties.MANIFEST_MIN_MERGE_COUNT, "4");
        assertThat(brought.currentSnapshot().allManifests(brought.io())).hasSizeLessThanOrEqualTo(4);
        assertThat(fresh.currentSnapshot().allManifests(fresh.io())).hasSizeLessThanOrEqualTo(4);
        try (CloseableIterable<FileScanTask> files = fresh.newScan().planFiles()) {
            assertThat(files).hasSize(30); // merged manifests still list every file
        }
    }

    private static void appendOneFilePerCommit(Table table, int commits) {
        for (int i = 0; i < commits; i++) {
            table.newAppend().appendFile(DataFiles.builder(table.spec())
                    .withPath("memory:/data/" + UUID.randomUUID() + ".parquet")
                    .withFileSizeInBytes(1024).withRecordCount(1)
                    .withPartitionPath("timestamp_day=2026-11-0" + (1 + i % 9))
                    .build()).commit();
        }
    }

    @Test
    void aNewTableHasTraceIdFromTheStart() {
        Table table = RawEventsTable.ensureExists(catalog);

        assertThat(table.schema().findField("trace_id").isOptional()).isTrue();
        assertThat(table.schemas()).hasSize(1);
    }

    @Test
    void aMissingRequiredColumnIsNotAddedButRefused() {
        Schema two = new Schema(RAW_EVENTS_BEFORE_TRACE_ID.columns().subList(0, 2));
        catalog.createTable(RawEventsTable.IDENTIFIER, two, PartitionSpec.unpartitioned(), IcebergTables.PROPERTIES);
        Schema wantsRequired = new Schema(List.of(two.columns().get(0), two.columns().get(1),
                Types.NestedField.required(3, "extra", Types.StringType.get())));

        assertThatThrownBy(() -> IcebergTables.ensureExists(catalog, RawEventsTable.IDENTIFIER, wantsRequired,
                PartitionSpec.unpartitioned()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("migrate the table");
        assertThat(catalog.loadTable(RawEventsTable.IDENTIFIER).schema().columns()).hasSize(2);
    }

    @Test
    void aTableMissingAColumnInTheMiddleIsRefusedAndLeftAlone() {
        List<Types.NestedField> withoutCdcLsn = new java.util.ArrayList<>(RAW_EVENTS_BEFORE_TRACE_ID.columns());
        withoutCdcLsn.remove(11);
        Schema schema = new Schema(withoutCdcLsn);
        catalog.createTable(RawEventsTable.IDENTIFIER, schema, PartitionSpec.builderFor(schema).day("timestamp").build(),
                IcebergTables.PROPERTIES);

        assertThatThrownBy(() -> RawEventsTable.ensureExists(catalog))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("migrate the table");
        assertThat(catalog.loadTable(RawEventsTable.IDENTIFIER).schemas()).hasSize(1);
    }

    @Test
    void anS3WarehouseIsReadAndWrittenWithIcebergsS3ClientAndTheProfilesEndpoint() {
        PipelinesConfig cluster = PipelinesConfig.from(Map.of("MARGINAL_WAREHOUSE", "s3://marginal-warehouse/warehouse",
                "MARGINAL_S3_ENDPOINT", "http://minio.storage.svc:9000", "MARGINAL_S3_REGION", "eu-west-1",
                "MARGINAL_S3_PATH_STYLE_ACCESS", "true"));
        assertThat(IcebergTables.fileIo(cluster)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "s3.endpoint", "http://minio.storage.svc:9000",
                "client.region", "eu-west-1",
                "s3.path-style-access", "true"));
        // AWS's own S3: no endpoint, buckets by host name.
        assertThat(IcebergTables.fileIo(PipelinesConfig.from(Map.of("MARGINAL_WAREHOUSE", "s3://bucket/w"))))
                .doesNotContainKey("s3.endpoint").containsEntry("s3.path-style-access", "false");
        // The local stack's warehouse keeps the catalog's default file system.
        assertThat(IcebergTables.fileIo(PipelinesConfig.from(Map.of("MARGINAL_HOME", "/tmp/m")))).isEmpty();
    }
}
