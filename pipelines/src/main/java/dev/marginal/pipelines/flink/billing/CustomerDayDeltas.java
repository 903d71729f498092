package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.PerCheckpointSums;
import dev.marginal.pipelines.flink.UsageCost;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/**
 * Sums revenue facts and usage costs per (organisation, customer, day, currency) and emits the sums
 * just before each checkpoint barrier, like {@link UsageCostDeltas}: they commit in the same
 * checkpoint as the facts and costs they sum, and nothing is kept in state. Its input is both
 * streams already in {@link CustomerDayDeltasTable}'s shape ({@link #ofRevenueFact},
 * {@link #ofUsage}).
 */
public final class CustomerDayDeltas extends PerCheckpointSums {

    private static final int MONEY_FIELDS = 5;

    record Key(String organizationId, String customerId, String externalCustomerId, int day, String currency) {
    }

    /** One key's sums since the last barrier: revenue, subscription_revenue, usage_revenue, cost, fees; events. */
    private static final class Sums {
        final BigDecimal[] money = new BigDecimal[MONEY_FIELDS];
        long events;

        Sums() {
            Arrays.fill(money, BigDecimal.ZERO);
        }
    }

    private transient Map<Key, Sums> sums;

    /** A revenue fact's contribution: its revenue (split by fact type) and fees; tax is not revenue. */
    public static RowData ofRevenueFact(RowData fact) {
        String type = fact.getString(6).toString();
        BigDecimal revenue = fact.getDecimal(11, UsageCost.PRECISION, UsageCost.SCALE).toBigDecimal();
        BigDecimal zero = BigDecimal.ZERO;
        return row(fact.getString(0), fact.isNullAt(1) ? null : fact.getString(1), null, fact.getInt(8),
                fact.isNullAt(10) ? null : fact.getString(10),
                revenue,
                RevenueFact.SUBSCRIPTION.equals(type) ? revenue : zero,
                RevenueFact.USAGE.equals(type) ? revenue : zero,
                zero,
                fact.getDecimal(13, UsageCost.PRECISION, UsageCost.SCALE).toBigDecimal(),
                0L);
    }

    /**
     * One LLM call or usage event: its cost (0 when it has none) and one event, under the customer
     * {@code customerId} (the event's own, or the one {@link CustomerDayUsage} found for its external
     * id; the view takes a named customer's external id from {@code raw.customers}), or under the
     * event's external id alone when it is null.
     */
    public static RowData ofUsage(UsageCost call, String customerId) {
        BigDecimal zero = BigDecimal.ZERO;
        return row(StringData.fromString(call.organizationId()), str(customerId),
                customerId == null ? str(call.externalCustomerId()) : null,
                (int) call.day().toEpochDay(), str(call.currency()), zero, zero, zero,
                call.cost() == null ? zero : call.cost(), zero, 1L);
    }

    private static StringData str(String s) {
        return s == null ? null : StringData.fromString(s);
    }

    private static GenericRowData row(StringData organizationId, StringData customerId, StringData externalCustomerId, int day,
                                      StringData currency, BigDecimal revenue, BigDecimal subscriptionRevenue,
                                      BigDecimal usageRevenue, BigDecimal cost, BigDecimal fees, long events) {
        GenericRowData row = new GenericRowData(11);
        row.setField(0, organizationId);
        row.setField(1, customerId);
        row.setField(2, externalCustomerId);
        row.setField(3, day);
        row.setField(4, currency);
        row.setField(5, decimal(revenue));
        row.setField(6, decimal(subscriptionRevenue));
        row.setField(7, decimal(usageRevenue));
        row.setField(8, decimal(cost));
        row.setField(9, decimal(fees));
        row.setField(10, events);
        return row;
    }

    private static DecimalData decimal(BigDecimal amount) {
        DecimalData d = DecimalData.fromBigDecimal(amount, UsageCost.PRECISION, UsageCost.SCALE);
        if (d == null) {
            throw new ArithmeticException(amount + " does not fit DECIMAL(38,12)");
        }
        return d;
    }

    @Override
    public void open() throws Exception {
        super.open();
        sums = new LinkedHashMap<>();
    }

    @Override
    public void processElement(StreamRecord<RowData> element) {
        RowData r = element.getValue();
        Key key = new Key(r.getString(0).toString(), string(r, 1), string(r, 2), r.getInt(3), string(r, 4));
        Sums s = sums.computeIfAbsent(key, k -> new Sums());
        for (int i = 0; i < MONEY_FIELDS; i++) {
            s.money[i] = s.money[i].add(r.getDecimal(5 + i, UsageCost.PRECISION, UsageCost.SCALE).toBigDecimal());
        }
        s.events += r.getLong(10);
    }

    private static String string(RowData row, int pos) {
        return row.isNullAt(pos) ? null : row.getString(pos).toString();
    }

    @Override
    protected void emitSums() {
        for (Map.Entry<Key, Sums> e : sums.entrySet()) {
            Key k = e.getKey();
            BigDecimal[] m = e.getValue().money;
            output.collect(new StreamRecord<>(row(StringData.fromString(k.organizationId()), str(k.customerId()),
                    str(k.externalCustomerId()), k.day(), str(k.currency()), m[0], m[1], m[2], m[3], m[4],
                    e.getValue().events)));
        }
        sums.clear();
    }
}
