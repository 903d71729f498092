package dev.marginal.pipelines.flink;

import dev.marginal.pipelines.health.Metrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Debezium JSON → {@link EventFacts} (the {@code raw.events} row and its {@code usage_costs} row);
 * anything unusable goes to the dead-letter side output: a whole change, or only its cost data.
 */
public final class ParseCdcMessage extends ProcessFunction<CdcMessage, RowData> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    private transient Counter rejected;
    private transient Metrics.Counter rejectedLocal;

    @Override
    public void open(OpenContext openContext) {
        rejected = getRuntimeContext().getMetricGroup().counter("deadLetters");
        rejectedLocal = RawEventsMetrics.deadLetters();
    }

    @Override
    public void processElement(CdcMessage message, Context ctx, Collector<RowData> out) {
        DebeziumEventParser.Outcome outcome = DebeziumEventParser.parse(message.value());
        if (outcome instanceof DebeziumEventParser.Parsed parsed) {
            out.collect(EventFacts.of(parsed.event(), parsed.cost()));
            if (parsed.costProblem() != null) {
                ctx.output(DEAD_LETTERS, message.reject(parsed.costProblem()));
                rejected.inc();
                rejectedLocal.increment();
            }
        } else if (outcome instanceof DebeziumEventParser.Rejected r) {
            ctx.output(DEAD_LETTERS, message.reject(r.reason()));
            rejected.inc();
            rejectedLocal.increment();
        }
    }
}
