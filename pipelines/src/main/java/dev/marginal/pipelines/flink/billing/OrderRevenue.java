package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.DeadLetter;
import dev.marginal.pipelines.flink.RawEventsMetrics;
import dev.marginal.pipelines.health.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by order id: an order's versions, its items and its ledger rows meet here, whatever order
 * their topics deliver them in, and become {@code revenue_facts} rows exactly once.
 *
 * <ul>
 *   <li>Items wait until their order is {@code paid} (a declined renewal is not revenue until it
 *       is collected), then are recognised by {@link Recognition}; the order's discount with them.</li>
 *   <li>Ledger rows wait only until the order is known (fees and refunds need its customer and its
 *       net/tax proportion).</li>
 *   <li>Items also leave, with their order's organisation filled in, on {@link #ORDER_ITEMS}: the
 *       {@code raw.cdc_changes} row of an order item, which the table itself lacks and the
 *       analysts' row filter needs.</li>
 * </ul>
 *
 * State (checkpointed with the Kafka offsets and the Iceberg files): the newest order row, what
 * waits, and the ids already booked, so a replayed snapshot books nothing twice.
 *
 * <p>State is bounded: an order's state is cleared {@code retention} (default
 * {@link #DEFAULT_RETENTION}) after its last change, by a processing-time timer that every change
 * re-arms. A <em>settled</em> order (paid, nothing waiting) loses nothing by it: its facts are
 * booked; only a ledger row arriving later still needs it. Such a row, and any row still waiting at
 * expiry (items of an order never paid, a ledger row whose order never arrived), goes to the
 * dead-letter topic with the reason: bounded state never drops a row silently.
 */
public final class OrderRevenue extends KeyedProcessFunction<String, RowData, RowData> {

    /**
     * Longer than the card networks' dispute window (120 days from the charge) and a refund
     * policy's usual reach, so the refunds and disputes of a settled order still find it.
     */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(180);

    public static final OutputTag<RowData> ORDER_ITEMS = new OutputTag<>("order-items", BillingPipeline.CHANGE_TYPE);
    /** Each paid subscription fee line once, as {@code analytics.subscription_lines} (what MRR reads). */
    public static final OutputTag<RowData> SUBSCRIPTION_LINES = new OutputTag<>("subscription-lines", BillingPipeline.LINE_TYPE);
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("billing-dead-letters") {
    };

    private transient ValueState<String> order;
    private transient ValueState<Long> orderLsn;
    private transient MapState<String, String> waiting;
    private transient MapState<String, Boolean> booked;
    private transient ValueState<Long> expiresAt;
    private transient Metrics.Counter rejected;

    private final Duration retention;

    public OrderRevenue() {
        this(DEFAULT_RETENTION);
    }

    public OrderRevenue(Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        this.retention = retention;
    }

    @Override
    public void open(OpenContext openContext) {
        order = getRuntimeContext().getState(new ValueStateDescriptor<>("order", Types.STRING));
        orderLsn = getRuntimeContext().getState(new ValueStateDescriptor<>("order-lsn", Types.LONG));
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting", Types.STRING, Types.STRING));
        booked = getRuntimeContext().getMapState(new MapStateDescriptor<>("booked", Types.STRING, Types.BOOLEAN));
        expiresAt = getRuntimeContext().getState(new ValueStateDescriptor<>("expires-at", Types.LONG));
        rejected = RawEventsMetrics.deadLetters();
    }

    /** The order a change belongs to, or null when it belongs to none (payouts, balance movements). */
    public static String orderKey(RowData change) {
        String table = change.getString(0).toString();
        return table.equals("orders") ? change.getString(1).toString() : BillingRows.orderIdOf(change.getString(6).toString());
    }

    @Override
    public void processElement(RowData row, Context ctx, Collector<RowData> out) throws Exception {
        CdcChange change = CdcChange.of(row);
        if (change.op().equals(CdcChange.DELETE)) {
            return; // orders, items and ledger rows are never deleted; nothing to recognise
        }
        try {
            switch (change.table()) {
                case "orders" -> {
                    Long stored = orderLsn.value();
                    if (stored != null && change.lsn() != null && change.lsn() < stored) {
                        return; // an older version arriving late
                    }
                    BillingRows.order(change.data()); // readable, or rejected before it is kept
                    order.update(change.data());
                    orderLsn.update(change.lsn());
                }
                case "order_items" -> {
                    BillingRows.item(change.data());
                    waiting.put(change.id(), encode(change));
                }
                case "transactions" -> {
                    BillingRows.ledgerEntry(change.data());
                    if (!booked.contains(change.id())) {
                        waiting.put(change.id(), encode(change));
                    }
                }
                default -> {
                    return;
                }
            }
            release(ctx, out);
            keepUntil(ctx.timerService(), ctx.timerService().currentProcessingTime() + retention.toMillis());
        } catch (BillingRows.Unreadable | ArithmeticException | IllegalArgumentException e) {
            deadLetter(ctx, change, "revenue: " + e.getMessage());
        }
    }

    /** One timer per order: the newest change moves it. */
    private void keepUntil(TimerService timers, long deadline) throws Exception {
        Long previous = expiresAt.value();
        if (previous != null) {
            timers.deleteProcessingTimeTimer(previous);
        }
        timers.registerProcessingTimeTimer(deadline);
        expiresAt.update(deadline);
    }

    /** {@code retention} without a change: what still waits cannot be recognised; everything is cleared. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RowData> out) throws Exception {
        Long deadline = expiresAt.value();
        if (deadline == null || deadline != timestamp) {
            return; // a timer a later change replaced
        }
        String orderJson = order.value();
        BillingRows.Order header = orderJson == null ? null : BillingRows.order(orderJson);
        for (String encoded : waiting.values()) {
            CdcChange change = decode(encoded);
            String why = header == null ? "its order " + ctx.getCurrentKey() + " was never seen"
                    : "its order " + ctx.getCurrentKey() + " is still " + header.status();
            deadLetter(ctx, change, "revenue: not recognised: " + why + " " + retention.toDays()
                    + " days after its last change (the order's state expired)");
        }
        order.clear();
        orderLsn.clear();
        waiting.clear();
        booked.clear();
        expiresAt.clear();
    }

    private void deadLetter(Context ctx, CdcChange change, String reason) {
        ctx.output(DEAD_LETTERS, new DeadLetter(ChangeParser.TOPIC_PREFIX + change.table(), -1, -1, change.id(),
                change.data(), reason));
        rejected.increment();
    }

    private void release(Context ctx, Collector<RowData> out) throws Exception {
        String orderJson = order.value();
        if (orderJson == null) {
            return;
        }
        BillingRows.Order header = BillingRows.order(orderJson);
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, String> w : waiting.entries()) {
            CdcChange change = decode(w.getValue());
            String data = change.data();
            if (change.table().equals("order_items")) {
                if (!booked.contains("mirror:" + w.getKey())) {
                    ctx.output(ORDER_ITEMS, change.withOrganization(header.organizationId()).toRowData());
                    booked.put("mirror:" + w.getKey(), true);
                }
                if (!header.paid()) {
                    continue;
                }
                if (!booked.contains(w.getKey())) {
                    BillingRows.Item item = BillingRows.item(data);
                    emit(out, Recognition.ofItem(header, item));
                    Recognition.subscriptionLine(header, item).ifPresent(line -> ctx.output(SUBSCRIPTION_LINES, line));
                    booked.put(w.getKey(), true);
                }
            } else if (!booked.contains(w.getKey())) {
                emit(out, Recognition.ofLedger(header, BillingRows.ledgerEntry(data)));
                booked.put(w.getKey(), true);
            }
            done.add(w.getKey());
        }
        for (String id : done) {
            waiting.remove(id);
        }
    }

    /** A change as one string for MapState: its JSON is compact, so it holds no raw line break. */
    static String encode(CdcChange c) {
        return String.join("\n", c.table(), c.id(), c.op(), c.lsn() == null ? "" : c.lsn().toString(),
                c.committedAt() == null ? "" : c.committedAt().toString(), c.data());
    }

    static CdcChange decode(String s) {
        String[] f = s.split("\n", 6);
        return new CdcChange(f[0], f[1], null, f[2], f[3].isEmpty() ? null : Long.valueOf(f[3]),
                f[4].isEmpty() ? null : java.time.Instant.parse(f[4]), f[5]);
    }

    private static void emit(Collector<RowData> out, List<RevenueFact> facts) {
        for (RevenueFact fact : facts) {
            out.collect(fact.toRowData());
        }
    }
}
