package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.RawEventsTable;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * {@code marginal.raw.cdc_changes}: every change of every captured billing-core table except
 * {@code events} (which has its typed {@code raw.events}), one row per change, append-only. The
 * row is kept as the JSON PostgreSQL sent, so a table billing-core adds (refunds, disputes,
 * payouts, tax) is mirrored the moment the CDC runner captures it, with no job change; the views
 * {@code raw.<table>} (warehouse/src/main/resources/sql/raw_mirrors.sql) type its columns and show
 * each row's newest version. No equality deletes: an update or delete is one more row.
 *
 * <p>Declared for Trino in raw_mirrors.sql too; the two must stay identical (CdcChangesSqlTest).
 */
public final class CdcChangesTable {

    public static final TableIdentifier IDENTIFIER = TableIdentifier.of(RawEventsTable.NAMESPACE, "cdc_changes");

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "table_name", Types.StringType.get(), "billing-core table, e.g. orders"),
            Types.NestedField.required(2, "id", Types.StringType.get(), "the row's primary key"),
            Types.NestedField.optional(3, "organization_id", Types.StringType.get(),
                    "the row's organisation; for order_items, its order's (filled by the job)"),
            Types.NestedField.required(4, "cdc_op", Types.StringType.get(), "Debezium op: r (snapshot), c, u, d"),
            Types.NestedField.optional(5, "cdc_lsn", Types.LongType.get(), "PostgreSQL WAL position of the change"),
            Types.NestedField.optional(6, "cdc_ts", Types.TimestampType.withZone(), "when PostgreSQL committed the change"),
            Types.NestedField.required(7, "data", Types.StringType.get(),
                    "the row after the change (before it, for a delete) as JSON; numerics as strings"));

    /** A view reads one table's changes: partitioning by table prunes every other table's files. */
    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("table_name").build();

    private CdcChangesTable() {
    }
}
