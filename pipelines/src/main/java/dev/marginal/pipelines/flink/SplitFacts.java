package dev.marginal.pipelines.flink;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** After de-duplication: the {@code raw.events} row on the main output, its cost on {@link #USAGE_COSTS}. */
public final class SplitFacts extends ProcessFunction<RowData, RowData> {

    public static final OutputTag<RowData> USAGE_COSTS = new OutputTag<>("usage-costs", EventFacts.USAGE_COST_TYPE);

    @Override
    public void processElement(RowData facts, Context ctx, Collector<RowData> out) {
        out.collect(EventFacts.raw(facts));
        RowData cost = EventFacts.cost(facts);
        if (cost != null) {
            ctx.output(USAGE_COSTS, cost);
        }
    }
}
