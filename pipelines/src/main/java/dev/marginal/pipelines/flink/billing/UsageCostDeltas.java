package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.PerCheckpointSums;
import dev.marginal.pipelines.flink.UsageCost;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/**
 * Sums {@code usage_costs} rows per (organisation, customer, feature, day, currency) and emits the
 * sums just before each checkpoint barrier, as {@code ModelCostDeltas} does for models: the sums
 * commit in the same checkpoint as the rows they sum, and nothing is kept in state (a restore
 * replays from the last checkpoint and sums again from zero).
 */
public final class UsageCostDeltas extends PerCheckpointSums {

    record Key(String organizationId, String customerId, String externalCustomerId, String feature, LocalDate day,
               String currency) {
    }

    private transient Map<Key, BigDecimal> costs;
    private transient Map<Key, Long> events;

    @Override
    public void open() throws Exception {
        super.open();
        costs = new LinkedHashMap<>();
        events = new LinkedHashMap<>();
    }

    @Override
    public void processElement(StreamRecord<RowData> element) {
        UsageCost call = UsageCost.of(element.getValue());
        Key key = new Key(call.organizationId(), call.customerId(), call.externalCustomerId(), call.name(), call.day(),
                call.currency());
        events.merge(key, 1L, Long::sum);
        if (call.cost() != null) {
            costs.merge(key, call.cost(), BigDecimal::add);
        }
    }

    @Override
    protected void emitSums() {
        for (Map.Entry<Key, Long> e : events.entrySet()) {
            Key k = e.getKey();
            BigDecimal cost = costs.get(k);
            GenericRowData row = new GenericRowData(8);
            row.setField(0, StringData.fromString(k.organizationId()));
            row.setField(1, k.customerId() == null ? null : StringData.fromString(k.customerId()));
            row.setField(2, k.externalCustomerId() == null ? null : StringData.fromString(k.externalCustomerId()));
            row.setField(3, StringData.fromString(k.feature()));
            row.setField(4, (int) k.day().toEpochDay());
            row.setField(5, k.currency() == null ? null : StringData.fromString(k.currency()));
            row.setField(6, cost == null ? null : DecimalData.fromBigDecimal(cost, UsageCost.PRECISION, UsageCost.SCALE));
            row.setField(7, e.getValue());
            output.collect(new StreamRecord<>(row));
        }
        events.clear();
        costs.clear();
    }
}
