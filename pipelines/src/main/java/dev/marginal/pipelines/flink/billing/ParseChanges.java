package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.CdcMessage;
import dev.marginal.pipelines.flink.ParseCdcMessage;
import dev.marginal.pipelines.flink.RawEventsMetrics;
import dev.marginal.pipelines.health.Metrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/** Debezium JSON of a billing table → a {@code raw.cdc_changes} row; anything unusable → the dead-letter topic. */
public final class ParseChanges extends ProcessFunction<CdcMessage, RowData> {

    private transient Metrics.Counter rejected;

    @Override
    public void open(OpenContext openContext) {
        rejected = RawEventsMetrics.deadLetters();
    }

    @Override
    public void processElement(CdcMessage message, Context ctx, Collector<RowData> out) {
        ChangeParser.Outcome outcome = ChangeParser.parse(message.topic(), message.value());
        if (outcome instanceof ChangeParser.Parsed parsed) {
            out.collect(parsed.change().toRowData());
        } else if (outcome instanceof ChangeParser.Rejected r) {
            ctx.output(ParseCdcMessage.DEAD_LETTERS, message.reject(r.reason()));
            rejected.increment();
        }
    }
}
