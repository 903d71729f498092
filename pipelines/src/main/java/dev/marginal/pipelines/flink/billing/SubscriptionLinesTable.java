package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.UsageCostsTable;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * {@code marginal.analytics.subscription_lines}: one row per paid subscription fee line (an order
 * item of kind {@code fixed} with a service period), what it earns in all — the sum of its
 * {@code revenue_facts}, which spread it over the period's days — and its period. {@code analytics.mrr}
 * reads it: a customer's MRR needs each line's amount and period, not one fact per line and day
 * (at 50 M events 27,000 lines instead of 900,000 facts for the biggest organisation).
 * Append-only, written in the same checkpoint as the line's facts; declared for Trino in mrr.sql too.
 */
public final class SubscriptionLinesTable {

    public static final TableIdentifier IDENTIFIER = TableIdentifier.of(UsageCostsTable.NAMESPACE, "subscription_lines");

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "organization_id", Types.StringType.get()),
            Types.NestedField.optional(2, "customer_id", Types.StringType.get()),
            Types.NestedField.optional(3, "subscription_id", Types.StringType.get()),
            Types.NestedField.required(4, "order_id", Types.StringType.get()),
            Types.NestedField.required(5, "item_id", Types.StringType.get()),
            Types.NestedField.required(6, "currency", Types.StringType.get(), "ISO 4217, lower case"),
            Types.NestedField.required(7, "period_start", Types.TimestampType.withZone()),
            Types.NestedField.required(8, "period_end", Types.TimestampType.withZone()),
            Types.NestedField.required(9, "amount", RevenueFactsTable.money(),
                    "major units, tax excluded: the line's net, as its revenue facts sum"));

    public static final PartitionSpec SPEC = PartitionSpec.unpartitioned();

    private SubscriptionLinesTable() {
    }
}
