package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.UsageCost;
import dev.marginal.pipelines.flink.UsageCostsTable;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * {@code marginal.analytics.revenue_facts}: recognised revenue, tax and fees per order line /
 * discount / ledger row and UTC day, append-only, partitioned by day. Declared for Trino in
 * warehouse/src/main/resources/sql/revenue.sql too (kept identical by RevenueSqlTest).
 */
public final class RevenueFactsTable {

    public static final TableIdentifier IDENTIFIER = TableIdentifier.of(UsageCostsTable.NAMESPACE, "revenue_facts");

    /** The warehouse's money type, DECIMAL(38,12) in major units; the billing tables' money columns. */
    static Types.DecimalType money() {
        return Types.DecimalType.of(UsageCost.PRECISION, UsageCost.SCALE);
    }

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "organization_id", Types.StringType.get()),
            Types.NestedField.optional(2, "customer_id", Types.StringType.get()),
            Types.NestedField.optional(3, "product_id", Types.StringType.get()),
            Types.NestedField.optional(4, "subscription_id", Types.StringType.get()),
            Types.NestedField.required(5, "order_id", Types.StringType.get()),
            Types.NestedField.required(6, "source_id", Types.StringType.get(), "order item, ledger row, or discount:<order>"),
            Types.NestedField.required(7, "fact_type", Types.StringType.get(),
                    "subscription, usage, one_time, discount, fee, or the ledger type (refund, dispute, …)"),
            Types.NestedField.optional(8, "line_kind", Types.StringType.get(), "order item kind, or the ledger type"),
            Types.NestedField.required(9, "day", Types.DateType.get(), "UTC day the amount is recognised"),
            Types.NestedField.required(10, "booked_at", Types.TimestampType.withZone(), "when billing-core booked it"),
            Types.NestedField.required(11, "currency", Types.StringType.get(), "ISO 4217, lower case"),
            Types.NestedField.required(12, "revenue", money(), "major units, tax excluded"),
            Types.NestedField.required(13, "tax", money(), "major units"),
            Types.NestedField.required(14, "fees", money(), "major units, processor and platform fees"));

    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("day").build();

    private RevenueFactsTable() {
    }
}
