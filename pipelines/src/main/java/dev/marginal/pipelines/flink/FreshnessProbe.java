package dev.marginal.pipelines.flink;

import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/** Passes rows through, noting per checkpoint the newest {@code ingested_at} it carries. */
public final class FreshnessProbe extends ProcessFunction<RowData, RowData> implements CheckpointedFunction {

    private transient long newestIngestedMicros = Long.MIN_VALUE;

    @Override
    public void processElement(RowData row, Context ctx, Collector<RowData> out) {
        newestIngestedMicros = Math.max(newestIngestedMicros, RawEvent.ingestedAtMicrosOf(row));
        out.collect(row);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        RawEventsMetrics.checkpointTaken(context.getCheckpointId(), newestIngestedMicros);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        newestIngestedMicros = Long.MIN_VALUE;
    }
}
