package dev.marginal.pipelines.flink;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/**
 * A partial sum of LLM calls for one (organisation, vendor, model, UTC day, currency): one row of
 * {@code model_cost_deltas}. Immutable; {@link #plus} returns the sum with one more call.
 * Tokens a call did not report count as 0; {@code cost} stays null while no call had a cost
 * (the currency is then null too: calls the catalog could not price).
 */
public record ModelCostDelta(Key key, long inputTokens, long cachedInputTokens, long outputTokens, BigDecimal cost, long events) {

    public record Key(String organizationId, String vendor, String model, LocalDate day, String currency) {
        public static Key of(UsageCost call) {
            return new Key(call.organizationId(), call.vendor(), call.model(), call.day(), call.currency());
        }
    }

    public static ModelCostDelta empty(Key key) {
        return new ModelCostDelta(key, 0, 0, 0, null, 0);
    }

    public ModelCostDelta plus(UsageCost call) {
        if (!Key.of(call).equals(key)) {
            throw new IllegalArgumentException("call " + call.eventId() + " is not of " + key);
        }
        return new ModelCostDelta(key,
                inputTokens + orZero(call.inputTokens()),
                cachedInputTokens + orZero(call.cachedInputTokens()),
                outputTokens + orZero(call.outputTokens()),
                call.cost() == null ? cost : cost == null ? call.cost() : cost.add(call.cost()),
                events + 1);
    }

    public RowData toRowData() {
        GenericRowData row = new GenericRowData(10);
        row.setField(0, StringData.fromString(key.organizationId()));
        row.setField(1, StringData.fromString(key.vendor()));
        row.setField(2, StringData.fromString(key.model()));
        row.setField(3, (int) key.day().toEpochDay());
        row.setField(4, key.currency() == null ? null : StringData.fromString(key.currency()));
        row.setField(5, inputTokens);
        row.setField(6, cachedInputTokens);
        row.setField(7, outputTokens);
        row.setField(8, cost == null ? null : decimal(cost));
        row.setField(9, events);
        return row;
    }

    private DecimalData decimal(BigDecimal amount) {
        DecimalData d = DecimalData.fromBigDecimal(amount, UsageCost.PRECISION, UsageCost.SCALE);
        if (d == null) {
            throw new ArithmeticException("cost " + amount + " of " + key + " does not fit DECIMAL(38,12)");
        }
        return d;
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }
}
