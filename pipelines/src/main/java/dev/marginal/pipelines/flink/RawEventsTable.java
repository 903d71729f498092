package dev.marginal.pipelines.flink;

import dev.marginal.pipelines.PipelinesConfig;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.types.Types;

/** The Iceberg table {@code marginal.raw.events}: a CDC mirror of billing-core's {@code events}. */
public final class RawEventsTable {

    public static final String CATALOG = IcebergTables.CATALOG;
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
            Types.NestedField.optional(13, "cdc_ts", Types.TimestampType.withZone(), "when PostgreSQL committed the change"),
            // Added in the release after cdc_ts: optional, so a table of the previous release gets it
            // by IcebergTables.ensureExists (its rows read null) and events ingested before
            // billing-core's V22 migration, which have none, are still valid rows.
            Types.NestedField.optional(14, "trace_id", Types.StringType.get(),
                    "trace id of the ingest request that wrote the event (billing-core events.trace_id)"));

    /** Daily partitions: the unit analysts filter by, and few enough files per partition. */
    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).day("timestamp").build();

    public static final Map<String, String> PROPERTIES = IcebergTables.PROPERTIES;

    private RawEventsTable() {
    }

    public static CatalogLoader catalogLoader(PipelinesConfig config) {
        return IcebergTables.catalogLoader(config);
    }

    /** Creates namespace {@code raw} and the table when missing; returns the table either way. */
    public static Table ensureExists(Catalog catalog) {
        return IcebergTables.ensureExists(catalog, IDENTIFIER, SCHEMA, SPEC);
    }
}
