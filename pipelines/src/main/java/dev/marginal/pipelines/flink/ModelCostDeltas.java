package dev.marginal.pipelines.flink;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;

/**
 * Sums the {@code usage_costs} rows of LLM calls per (organisation, vendor, model, day, currency)
 * and emits the sums just before each checkpoint barrier, then starts again from zero. So each
 * checkpoint appends, per key it saw, one row to {@code model_cost_deltas}, committed with the
 * same checkpoint as the {@code usage_costs} rows it sums.
 *
 * <p>Nothing is kept in state: between barriers the sums are in memory, and after a failure the
 * job rewinds to the last checkpoint, whose sums were already emitted, so the replayed calls are
 * summed again from zero (exactly once, like the rows). Not keyed: at parallelism n each subtask
 * sums its own calls, and a key may get up to n rows per checkpoint; the view adds them up.
 */
public final class ModelCostDeltas extends PerCheckpointSums {

    private transient Map<ModelCostDelta.Key, ModelCostDelta> pending;

    @Override
    public void open() throws Exception {
        super.open();
        pending = new LinkedHashMap<>();
    }

    @Override
    public void processElement(StreamRecord<RowData> element) {
        UsageCost call = UsageCost.of(element.getValue());
        if (!call.isModelCall()) {
            return;
        }
        ModelCostDelta.Key key = ModelCostDelta.Key.of(call);
        pending.put(key, pending.getOrDefault(key, ModelCostDelta.empty(key)).plus(call));
    }

    @Override
    protected void emitSums() {
        for (ModelCostDelta delta : pending.values()) {
            output.collect(new StreamRecord<>(delta.toRowData()));
        }
        pending.clear();
    }
}
