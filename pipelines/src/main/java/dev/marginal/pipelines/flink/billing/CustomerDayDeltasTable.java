package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.UsageCostsTable;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * {@code marginal.analytics.customer_day_deltas}: what each checkpoint added to each (organisation,
 * customer, UTC day, currency) — revenue from {@code revenue_facts} and LLM cost and calls from
 * {@code usage_costs} in one row. {@code customer_margins} sums it: at a customer-day grain one
 * organisation's 90 days are at most customers × 90 rows once the day close has merged each past
 * day to one row per key, instead of a row per order line and day plus a row per feature.
 * Append-only like the other delta tables; declared for Trino in revenue.sql too.
 *
 * <p>A row names its customer as its source did: revenue facts by billing-core id (no external
 * id), usage by the id the event resolved to and/or the external id it was sent with; the view
 * matches them through {@code raw.customers}.
 */
public final class CustomerDayDeltasTable {

    public static final TableIdentifier IDENTIFIER = TableIdentifier.of(UsageCostsTable.NAMESPACE, "customer_day_deltas");

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "organization_id", Types.StringType.get()),
            Types.NestedField.optional(2, "customer_id", Types.StringType.get()),
            Types.NestedField.optional(3, "external_customer_id", Types.StringType.get()),
            Types.NestedField.required(4, "day", Types.DateType.get()),
            Types.NestedField.optional(5, "currency", Types.StringType.get()),
            Types.NestedField.required(6, "revenue", RevenueFactsTable.money()),
            Types.NestedField.required(7, "subscription_revenue", RevenueFactsTable.money()),
            Types.NestedField.required(8, "usage_revenue", RevenueFactsTable.money()),
            Types.NestedField.required(9, "cost", RevenueFactsTable.money()),
            Types.NestedField.required(10, "fees", RevenueFactsTable.money()),
            Types.NestedField.required(11, "events", Types.LongType.get()));

    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("day").build();

    private CustomerDayDeltasTable() {
    }
}
