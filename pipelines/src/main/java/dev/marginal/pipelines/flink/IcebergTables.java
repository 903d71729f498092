package dev.marginal.pipelines.flink;

import dev.marginal.pipelines.PipelinesConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Iceberg catalog the jobs write to, and the tables they own. */
public final class IcebergTables {

    public static final String CATALOG = "marginal";

    private static final Logger LOG = LoggerFactory.getLogger(IcebergTables.class);

    /** Every table the jobs write: format v2, zstd Parquet, bounded metadata at a commit per checkpoint. */
    public static final Map<String, String> PROPERTIES = Map.of(
            TableProperties.FORMAT_VERSION, "2",
            TableProperties.DEFAULT_FILE_FORMAT, "parquet",
            TableProperties.PARQUET_COMPRESSION, "zstd",
            // A commit every checkpoint (seconds apart) writes a metadata file each time: keep
            // only the recent ones. Snapshot expiry and compaction are warehouse maintenance.
            TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
            TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "50",
            // While idle, commit an empty snapshot only every ~5 min (150 checkpoints of 2 s).
            "flink.max-continuous-empty-commits", "150",
            // Every commit (a checkpoint, a day close) adds a manifest, and Iceberg merges them only
            // once there are this many (default 100). Trino reads every manifest of the queried days
            // twice per query, for statistics while planning and to list splits: with 91 manifests, a
            // scan of one organisation's 90 days of customer_day_deltas spent 0.25 s planning and 0.2 s
            // listing splits before reading a row, 0.015 s and 0.006 s with one (docs/BENCHMARKS.md).
            TableProperties.MANIFEST_MIN_MERGE_COUNT, "4");

    private IcebergTables() {
    }

    /**
     * Iceberg's JDBC catalog in PostgreSQL, schema version V1 (the {@code iceberg_type} column the
     * stack creates), which Trino needs to keep its views in the same catalog.
     */
    public static CatalogLoader catalogLoader(PipelinesConfig config) {
        Map<String, String> props = new HashMap<>(Map.of(
                CatalogProperties.URI, config.catalogUrl(),
                "jdbc.user", config.catalogUser(),
                "jdbc.password", config.catalogPassword(),
                "jdbc.schema-version", "V1",
                CatalogProperties.WAREHOUSE_LOCATION, config.warehouse()));
        props.putAll(fileIo(config));
        return CatalogLoader.custom(CATALOG, props, new Configuration(), "org.apache.iceberg.jdbc.JdbcCatalog");
    }

    /**
     * How table files are read and written: Iceberg's own S3 client ({@code iceberg-aws-bundle}, in
     * the job jar) for an {@code s3://} warehouse — the catalog's default, Hadoop's file system, has
     * no S3 support in this jar — and the default for local paths.
     */
    static Map<String, String> fileIo(PipelinesConfig config) {
        String warehouse = config.warehouse();
        if (!warehouse.startsWith("s3://") && !warehouse.startsWith("s3a://")) {
            return Map.of();
        }
        Map<String, String> props = new HashMap<>();
        props.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
        props.put("client.region", config.s3().region());
        props.put("s3.path-style-access", Boolean.toString(config.s3().pathStyleAccess()));
        if (!config.s3().endpoint().isEmpty()) {
            props.put("s3.endpoint", config.s3().endpoint());
        }
        return props;
    }

    /**
     * Creates the namespace and the table when missing and returns the table. A table that exists
     * (created by an earlier run, or by the warehouse's SQL through Trino) must have exactly these
     * columns in this order, as the sink writes rows by position; properties are brought up to date.
     * A table an earlier release created, whose columns are these but for optional ones at the end,
     * first gets those columns added ({@link #addTrailingOptionalColumns}).
     */
    public static Table ensureExists(Catalog catalog, TableIdentifier id, Schema schema, PartitionSpec spec) {
        Namespace namespace = id.namespace();
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(namespace)) {
            try {
                namespaces.createNamespace(namespace);
            } catch (AlreadyExistsException raced) {
                // another process created it first
            }
        }
        if (!catalog.tableExists(id)) {
            try {
                return catalog.buildTable(id, schema).withPartitionSpec(spec).withProperties(PROPERTIES).create();
            } catch (AlreadyExistsException raced) {
                // another process created it first
            }
        }
        Table table = catalog.loadTable(id);
        addTrailingOptionalColumns(id, table, schema);
        requireSameShape(id, table, schema, spec);
        UpdateProperties update = table.updateProperties();
        boolean changed = false;
        for (Map.Entry<String, String> p : PROPERTIES.entrySet()) {
            if (!TableProperties.FORMAT_VERSION.equals(p.getKey()) && !p.getValue().equals(table.properties().get(p.getKey()))) {
                update.set(p.getKey(), p.getValue());
                changed = true;
            }
        }
        if (changed) {
            update.commit();
        }
        return table;
    }

    /**
     * Iceberg's own schema evolution for the one change this job's releases make: a new nullable
     * column after the existing ones. It is a metadata-only commit (no data file is rewritten;
     * rows written before it read null), so a new release starts on the previous release's table
     * without a migration step. Anything else (a column dropped, renamed, retyped, made required,
     * or added in the middle) is left for {@link #requireSameShape} to refuse.
     */
    static void addTrailingOptionalColumns(TableIdentifier id, Table table, Schema expected) {
        List<Types.NestedField> have = table.schema().columns();
        List<Types.NestedField> want = expected.columns();
        if (have.size() >= want.size()) {
            return;
        }
        List<Types.NestedField> added = want.subList(have.size(), want.size());
        boolean prefix = have.stream().map(IcebergTables::describe).toList()
                .equals(want.subList(0, have.size()).stream().map(IcebergTables::describe).toList());
        if (!prefix || added.stream().anyMatch(Types.NestedField::isRequired)) {
            return;
        }
        UpdateSchema update = table.updateSchema();
        added.forEach(f -> update.addColumn(f.name(), f.type(), f.doc()));
        try {
            update.commit();
            LOG.info("{}: added columns {}", id, added.stream().map(Types.NestedField::name).toList());
        } catch (RuntimeException raced) {
            // Another process (a second job, a restart racing this one) committed first; the
            // table as it is now is what requireSameShape judges.
            LOG.info("{}: adding columns {} failed ({}); re-reading the table", id,
                    added.stream().map(Types.NestedField::name).toList(), raced.toString());
        }
        table.refresh();
    }

    static void requireSameShape(TableIdentifier id, Table table, Schema expected, PartitionSpec spec) {
        List<String> have = table.schema().columns().stream().map(IcebergTables::describe).toList();
        List<String> want = expected.columns().stream().map(IcebergTables::describe).toList();
        if (!have.equals(want)) {
            throw new IllegalStateException(id + " exists with columns " + have + " but this job writes " + want
                    + "; migrate the table (or drop it: it is derived and can be rebuilt)");
        }
        List<String> havePartitions = partitions(table.spec(), table.schema());
        List<String> wantPartitions = partitions(spec, expected);
        if (!havePartitions.equals(wantPartitions)) {
            throw new IllegalStateException(id + " is partitioned by " + havePartitions + ", expected " + wantPartitions);
        }
    }

    private static String describe(Types.NestedField f) {
        return f.name() + " " + f.type() + (f.isRequired() ? " not null" : "");
    }

    private static List<String> partitions(PartitionSpec spec, Schema schema) {
        return spec.fields().stream().map((PartitionField f) -> f.transform() + "(" + schema.findColumnName(f.sourceId()) + ")").toList();
    }
}
