package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.cdc.CdcTables;
import dev.marginal.pipelines.flink.CdcMessage;
import dev.marginal.pipelines.flink.CdcMessageDeserializer;
import dev.marginal.pipelines.flink.DeadLetter;
import dev.marginal.pipelines.flink.DeduplicateById;
import dev.marginal.pipelines.flink.IcebergTables;
import dev.marginal.pipelines.flink.ParseCdcMessage;
import dev.marginal.pipelines.flink.accrual.AccruedUsage;
import dev.marginal.pipelines.flink.accrual.UsageAccrualsTable;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The billing half of the {@code raw-events} job (one job, one checkpoint: the margins join what
 * both halves write):
 *
 * <pre>
 * kafka marginal.cdc.{products,…,transactions} ─ parse ─ de-duplicate ─┬─ raw.cdc_changes (all but order_items)
 *                                                                     └─ by order ─ OrderRevenue ─┬─ analytics.revenue_facts
 *                                                                                                  ├─ raw.cdc_changes (order_items, with their organisation)
 *                                                                                                  └─ analytics.subscription_lines
 * analytics.usage_costs (from the events half) ─ UsageCostDeltas ─ analytics.usage_cost_deltas
 * revenue facts + usage costs (customers named by id: CustomerDayUsage) ─ CustomerDayDeltas ─ analytics.customer_day_deltas
 * raw.events (from the events half) ┬ by organisation ─ AccruedUsage ─ analytics.usage_accruals
 * customers, meters, prices, subs ──┘
 * </pre>
 */
public final class BillingPipeline {

    public static final String CONSUMER_GROUP = "marginal-billing-changes";
    public static final InternalTypeInfo<RowData> CHANGE_TYPE = InternalTypeInfo.of(FlinkSchemaUtil.convert(CdcChangesTable.SCHEMA));
    public static final InternalTypeInfo<RowData> FACT_TYPE = InternalTypeInfo.of(FlinkSchemaUtil.convert(RevenueFactsTable.SCHEMA));
    public static final InternalTypeInfo<RowData> COST_DELTA_TYPE = InternalTypeInfo.of(FlinkSchemaUtil.convert(UsageCostDeltasTable.SCHEMA));
    public static final InternalTypeInfo<RowData> CUSTOMER_DAY_TYPE = InternalTypeInfo.of(FlinkSchemaUtil.convert(CustomerDayDeltasTable.SCHEMA));
    public static final InternalTypeInfo<RowData> LINE_TYPE = InternalTypeInfo.of(FlinkSchemaUtil.convert(SubscriptionLinesTable.SCHEMA));
    public static final InternalTypeInfo<RowData> ACCRUAL_TYPE = InternalTypeInfo.of(FlinkSchemaUtil.convert(UsageAccrualsTable.SCHEMA));

    private static final List<String> REVENUE_TABLES = List.of("orders", "order_items", "transactions");

    /** What the billing half hands back to the job for its sinks. */
    public record Outputs(DataStream<RowData> changes, DataStream<RowData> revenueFacts, DataStream<RowData> usageCostDeltas,
                          DataStream<RowData> customerDayDeltas, DataStream<RowData> subscriptionLines,
                          DataStream<RowData> usageAccruals, DataStream<DeadLetter> deadLetters) {
    }

    private BillingPipeline() {
    }

    public static void ensureTables(Catalog catalog) {
        IcebergTables.ensureExists(catalog, CdcChangesTable.IDENTIFIER, CdcChangesTable.SCHEMA, CdcChangesTable.SPEC);
        IcebergTables.ensureExists(catalog, RevenueFactsTable.IDENTIFIER, RevenueFactsTable.SCHEMA, RevenueFactsTable.SPEC);
        IcebergTables.ensureExists(catalog, UsageCostDeltasTable.IDENTIFIER, UsageCostDeltasTable.SCHEMA, UsageCostDeltasTable.SPEC);
        IcebergTables.ensureExists(catalog, CustomerDayDeltasTable.IDENTIFIER, CustomerDayDeltasTable.SCHEMA, CustomerDayDeltasTable.SPEC);
        IcebergTables.ensureExists(catalog, SubscriptionLinesTable.IDENTIFIER, SubscriptionLinesTable.SCHEMA, SubscriptionLinesTable.SPEC);
        IcebergTables.ensureExists(catalog, UsageAccrualsTable.IDENTIFIER, UsageAccrualsTable.SCHEMA, UsageAccrualsTable.SPEC);
    }

    public static List<String> topics() {
        return CdcTables.billingTopics();
    }

    /**
     * @param usageCosts the events half's {@code analytics.usage_costs} rows
     * @param rawEvents  the events half's {@code raw.events} rows (de-duplicated), for accrued usage
     */
    public static Outputs build(StreamExecutionEnvironment env, PipelinesConfig config, DataStream<RowData> usageCosts,
                                DataStream<RowData> rawEvents) {
        KafkaSource<CdcMessage> source = KafkaSource.<CdcMessage>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopics(topics())
                .setGroupId(CONSUMER_GROUP)
                .setClientIdPrefix(CONSUMER_GROUP)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new CdcMessageDeserializer())
                .build();

        SingleOutputStreamOperator<RowData> parsed = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "kafka marginal.cdc.<billing tables>")
                .uid("cdc-billing-source")
                .process(new ParseChanges(), CHANGE_TYPE)
                .uid("parse-billing-changes")
                .name("parse billing changes");

        SingleOutputStreamOperator<RowData> changes = parsed
                .keyBy(CdcChange::dedupKey, Types.STRING)
                .process(new DeduplicateById(DeduplicateById.DEFAULT_RETENTION, "cdc_changes"), CHANGE_TYPE)
                .uid("dedup-billing-changes")
                .name("de-duplicate billing changes");

        SingleOutputStreamOperator<RowData> revenue = changes
                .filter(c -> REVENUE_TABLES.contains(c.getString(0).toString()) && OrderRevenue.orderKey(c) != null)
                .uid("revenue-changes")
                .name("orders, items and ledger rows")
                .keyBy(OrderRevenue::orderKey, Types.STRING)
                .process(new OrderRevenue(), FACT_TYPE)
                .uid("order-revenue")
                .name("recognise revenue per order");

        DataStream<RowData> mirrored = changes
                .filter(c -> !c.getString(0).toString().equals("order_items"))
                .uid("mirrored-changes")
                .name("changes mirrored as they come")
                .union(revenue.getSideOutput(OrderRevenue.ORDER_ITEMS));

        DataStream<RowData> costDeltas = usageCosts
                .transform("usage cost deltas per checkpoint", COST_DELTA_TYPE, new UsageCostDeltas())
                .uid("usage-cost-deltas");

        DataStream<RowData> catalog = changes
                .filter(c -> AccruedUsage.CATALOG_TABLES.contains(c.getString(0).toString()) && !c.isNullAt(2))
                .uid("catalog-changes")
                .name("customers, meters, prices and subscriptions");

        DataStream<RowData> customerDayDeltas = revenue
                .map(CustomerDayDeltas::ofRevenueFact, CUSTOMER_DAY_TYPE)
                .uid("revenue-per-customer-day")
                .name("revenue per customer and day")
                .union(usageCosts
                        .keyBy(u -> u.getString(0).toString(), Types.STRING)
                        .connect(catalog.keyBy(c -> c.getString(2).toString(), Types.STRING))
                        .process(new CustomerDayUsage(), CUSTOMER_DAY_TYPE)
                        .uid("usage-per-customer-day")
                        .name("usage per customer and day"))
                .transform("customer-day deltas per checkpoint", CUSTOMER_DAY_TYPE, new CustomerDayDeltas())
                .uid("customer-day-deltas");
        SingleOutputStreamOperator<RowData> accruals = rawEvents
                .keyBy(e -> e.getString(1).toString(), Types.STRING)
                .connect(catalog.keyBy(c -> c.getString(2).toString(), Types.STRING))
                .process(new AccruedUsage(), ACCRUAL_TYPE)
                .uid("accrued-usage")
                .name("accrue usage revenue per subscription and period");

        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(ParseCdcMessage.DEAD_LETTERS)
                .union(revenue.getSideOutput(OrderRevenue.DEAD_LETTERS), accruals.getSideOutput(AccruedUsage.DEAD_LETTERS));
        return new Outputs(mirrored, revenue, costDeltas, customerDayDeltas, revenue.getSideOutput(OrderRevenue.SUBSCRIPTION_LINES),
                accruals, deadLetters);
    }
}
