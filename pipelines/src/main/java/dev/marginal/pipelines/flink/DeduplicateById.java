package dev.marginal.pipelines.flink;

import dev.marginal.pipelines.health.Metrics;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * Lets the first row of each event id through and drops the rest. CDC delivers at least once (a
 * crash of the CDC runner redelivers from its last flushed offset; a re-snapshot replays the
 * table); this state, checkpointed together with the Kafka offsets and the Iceberg commit, makes
 * the table exactly-once. Ids are forgotten after {@link #DEFAULT_RETENTION}, far longer than any
 * redelivery window.
 */
public final class DeduplicateById extends KeyedProcessFunction<String, RowData, RowData> {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private final Duration retention;
    /** Which rows these are on {@code /metrics}: {@code raw_events}, or {@code cdc_changes}. */
    private final String rows;
    private transient ValueState<Boolean> seen;
    private transient Counter admittedMetric;
    private transient Counter duplicatesMetric;
    private transient Metrics.Counter admittedLocal;
    private transient Metrics.Counter duplicatesLocal;

    public DeduplicateById(Duration retention) {
        this(retention, "raw_events");
    }

    public DeduplicateById(Duration retention, String rows) {
        this.retention = retention;
        this.rows = rows;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Boolean.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(retention)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getState(descriptor);
        admittedMetric = getRuntimeContext().getMetricGroup().counter("recordsAdmitted");
        duplicatesMetric = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
        admittedLocal = RawEventsMetrics.admitted(rows);
        duplicatesLocal = RawEventsMetrics.duplicates(rows);
    }

    @Override
    public void processElement(RowData row, Context ctx, Collector<RowData> out) throws Exception {
        if (seen.value() != null) {
            duplicatesMetric.inc();
            duplicatesLocal.increment();
            return;
        }
        seen.update(Boolean.TRUE);
        admittedMetric.inc();
        admittedLocal.increment();
        out.collect(row);
    }
}
