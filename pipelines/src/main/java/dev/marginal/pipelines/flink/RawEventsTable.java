package dev.marginal.pipelines.flink;

import dev.marginal.pipelines.PipelinesConfig;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.types.Types;

/** The Iceberg table {@code marginal.raw.events}: a CDC mirror of billing-core's {@code events}. */
public final class RawEventsTable {

    public static final String CATALOG = "marginal";
    public static final Namespace NAMESPACE = Namespace.of("raw");
    public static final TableIdentifier IDENTIFIER = TableIdentifier.of(NAMESPACE, "events");

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.StringType.get()),
            Types.NestedField.required(2, "organization_id", Types.StringType.get()),
            Types.NestedField.optional(3, "customer_id", Types.StringType.get()),
            Types.NestedField.optional(4, "external_customer_id", Types.StringType.get()),
            Types.NestedField.optional(5, "external_id", Types.StringType.get()),
            Types.NestedField.required(6, "name", Types.StringType.get()),
            Types.NestedField.required(7, "timestamp", Types.TimestampType.withZone()),
            Types.NestedField.required(8, "metadata", Types.StringType.get(), "the row's jsonb, as JSON text"),
            Types.NestedField.required(9, "source", Types.StringType.get()),
            Types.NestedField.required(10, "ingested_at", Types.TimestampType.withZone()),
            Types.NestedField.required(11, "cdc_op", Types.StringType.get(), "Debezium op: c (insert) or r (snapshot)"),
            Types.NestedField.optional(12, "cdc_lsn", Types.LongType.get(), "PostgreSQL WAL position of the change"),
            Types.NestedField.optional(13, "cdc_ts", Types.TimestampType.withZone(), "when PostgreSQL committed the change"));

    /** Daily partitions: the unit analysts filter by, and few enough files per partition. */
    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).day("timestamp").build();

    public static final Map<String, String> PROPERTIES = Map.of(
            TableProperties.FORMAT_VERSION, "2",
            TableProperties.DEFAULT_FILE_FORMAT, "parquet",
            TableProperties.PARQUET_COMPRESSION, "zstd",
            // A commit every checkpoint (seconds apart) writes a metadata file each time: keep
            // only the recent ones. Snapshot expiry and compaction are warehouse maintenance.
            TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
            TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "50",
            // While idle, commit an empty snapshot only every ~5 min (150 checkpoints of 2 s).
            "flink.max-continuous-empty-commits", "150");

    private RawEventsTable() {
    }

    public static CatalogLoader catalogLoader(PipelinesConfig config) {
        Map<String, String> props = Map.of(
                CatalogProperties.URI, config.catalogUrl(),
                "jdbc.user", config.catalogUser(),
                "jdbc.password", config.catalogPassword(),
                CatalogProperties.WAREHOUSE_LOCATION, config.warehouse());
        return CatalogLoader.custom(CATALOG, props, new Configuration(), "org.apache.iceberg.jdbc.JdbcCatalog");
    }

    /** Creates namespace {@code raw} and the table when missing; returns the table either way. */
    public static Table ensureExists(Catalog catalog) {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(NAMESPACE)) {
            try {
                namespaces.createNamespace(NAMESPACE);
            } catch (AlreadyExistsException raced) {
                // another process created it first
            }
        }
        if (!catalog.tableExists(IDENTIFIER)) {
            try {
                return catalog.buildTable(IDENTIFIER, SCHEMA)
                        .withPartitionSpec(SPEC)
                        .withProperties(PROPERTIES)
                        .create();
            } catch (AlreadyExistsException raced) {
                // another process created it first
            }
        }
        return catalog.loadTable(IDENTIFIER);
    }
}
