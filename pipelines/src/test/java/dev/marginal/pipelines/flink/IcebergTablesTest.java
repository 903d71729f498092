package dev.marginal.pipelines.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marginal.pipelines.PipelinesConfig;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.inmemory.InMemoryCatalog;
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
