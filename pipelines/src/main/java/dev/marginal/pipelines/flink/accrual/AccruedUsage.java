package dev.marginal.pipelines.flink.accrual;

import dev.marginal.pipelines.flink.DeadLetter;
import dev.marginal.pipelines.flink.RawEventsMetrics;
import dev.marginal.pipelines.flink.billing.BillingRows;
import dev.marginal.pipelines.flink.billing.CdcChange;
import dev.marginal.pipelines.health.Metrics;
import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.meter.MeterEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Accrued (not yet invoiced) usage revenue, priced as each event arrives. Keyed by organisation:
 * its usage events (input 1) meet its catalog — customers, meters, metered prices, subscriptions
 * (input 2) — whatever order their topics deliver them in.
 *
 * <p>Per (subscription, metered price, billing period) the state keeps the meter's running
 * aggregate ({@link Aggregation.Partial}), never the events. An event of a subscription's customer
 * that its meter's filter matches, in a period whose usage billing-core invoices (status
 * {@code active} or {@code past_due}; a trial's usage is free), is added to it, and the engine
 * prices the line before and after: {@code price.amount(q_after) − price.amount(q_before)}. The
 * rows of a period therefore sum to {@code price.amount(q_period)}, the metered line of the order
 * that renews the subscription (billing-core's {@code Orders} prices the same quantity with
 * {@code InvoiceLine.priced}), and tiers are exact at every moment, graduated or volume.
 *
 * <p>A subscription's prices are its product's metered prices in its currency that were live when
 * it was sold that product — at creation, or at a plan change (prices are immutable and archived on
 * change: what billing-core sold it at). A plan change closes a window of the period as a renewal
 * does: billing-core bills the old prices' usage up to the change and meters the new ones from
 * there ({@code usage_period_start}). The window before the current one is kept, so an event of
 * it delivered after the renewal or change still lands in it.
 *
 * <p>An event that arrives before what it needs (its customer, a subscription, the period it falls
 * in, the meter) waits up to {@code waitFor} for it (state TTL), then is no longer accrued: the
 * topics are read concurrently, and a few seconds' skew is normal; a customer without any
 * subscription accrues nothing, and its events wait only that long.
 */
public final class AccruedUsage extends KeyedCoProcessFunction<String, RowData, RowData, RowData> {

    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(2);
    public static final Set<String> CATALOG_TABLES = Set.of("customers", "meters", "product_prices", "subscriptions");
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("accrual-dead-letters") {
    };

    private static final int PARSED_CACHE = 10_000;

    private final Duration waitFor;

    private transient MapState<String, String> customerByExternalId;
    private transient MapState<String, String> meters;
    private transient MapState<String, String> prices;
    private transient MapState<String, String> pricesOfProduct;
    private transient MapState<String, String> subscriptions;
    private transient MapState<String, String> subscriptionsOfCustomer;
    private transient MapState<String, String> previousPeriod;
    private transient MapState<String, String> soldAt;
    private transient MapState<String, String> accruals;
    private transient MapState<String, String> waiting;
    private transient Map<String, Object> parsed;
    private transient Metrics.Counter rejected;

    public AccruedUsage() {
        this(DEFAULT_WAIT);
    }

    public AccruedUsage(Duration waitFor) {
        this.waitFor = waitFor;
    }

    @Override
    public void open(OpenContext openContext) {
        customerByExternalId = map("customer-by-external-id");
        meters = map("meters");
        prices = map("metered-prices");
        pricesOfProduct = map("metered-prices-of-product");
        subscriptions = map("subscriptions");
        subscriptionsOfCustomer = map("subscriptions-of-customer");
        previousPeriod = map("previous-period");
        soldAt = map("sold-at");
        accruals = map("accruals");
        MapStateDescriptor<String, String> waits = new MapStateDescriptor<>("waiting-events", Types.STRING, Types.STRING);
        waits.enableTimeToLive(StateTtlConfig.newBuilder(waitFor)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        waiting = getRuntimeContext().getMapState(waits);
        parsed = new LinkedHashMap<>();
        rejected = RawEventsMetrics.deadLetters();
    }

    private MapState<String, String> map(String name) {
        return getRuntimeContext().getMapState(new MapStateDescriptor<>(name, Types.STRING, Types.STRING));
    }

    /** A usage event (a {@code raw.events} row). */
    @Override
    public void processElement1(RowData row, Context ctx, Collector<RowData> out) throws Exception {
        Event event = Event.of(row);
        try {
            if (!accrue(event, out)) {
                waiting.put(event.id(), event.encode());
            }
        } catch (BillingRows.Unreadable | IllegalArgumentException | ArithmeticException e) {
            ctx.output(DEAD_LETTERS, new DeadLetter("marginal.cdc.events", -1, -1, event.id(), event.encode(),
                    "accrued usage: " + e.getMessage()));
            rejected.increment();
        }
    }

    /** A change of a catalog row; then the events that waited for one are tried again. */
    @Override
    public void processElement2(RowData row, Context ctx, Collector<RowData> out) throws Exception {
        CdcChange change = CdcChange.of(row);
        try {
            boolean mayRelease = switch (change.table()) {
                case "customers" -> customer(change);
                case "meters" -> meter(change);
                case "product_prices" -> price(change);
                case "subscriptions" -> subscription(change);
                default -> false;
            };
            if (mayRelease && !waiting.isEmpty()) {
                List<String> released = new ArrayList<>();
                for (Map.Entry<String, String> w : waiting.entries()) {
                    if (accrue(Event.decode(w.getValue()), out)) {
                        released.add(w.getKey());
                    }
                }
                for (String id : released) {
                    waiting.remove(id);
                }
            }
        } catch (BillingRows.Unreadable | IllegalArgumentException | ArithmeticException e) {
            ctx.output(DEAD_LETTERS, new DeadLetter("marginal.cdc." + change.table(), -1, -1, change.id(), change.data(),
                    "accrued usage: " + e.getMessage()));
            rejected.increment();
        }
    }

    private boolean customer(CdcChange change) throws Exception {
        CatalogRows.Customer customer = CatalogRows.customer(change.data());
        if (change.op().equals(CdcChange.DELETE) || customer.externalId() == null) {
            // External ids are never reused (billing-core keeps them unique forever), so a stale entry misleads no one.
            return false;
        }
        customerByExternalId.put(customer.externalId(), customer.id());
        return true;
    }

    private boolean meter(CdcChange change) throws Exception {
        if (change.op().equals(CdcChange.DELETE)) {
            return false;
        }
        CatalogRows.meter(change.data()); // readable, or rejected before it is kept
        meters.put(change.id(), change.data());
        return true;
    }

    private boolean price(CdcChange change) throws Exception {
        CatalogRows.MeteredPrice price = change.op().equals(CdcChange.DELETE) ? null : CatalogRows.meteredPrice(change.data());
        if (price == null) {
            return false;
        }
        prices.put(price.id(), change.data());
        add(pricesOfProduct, price.productId(), price.id());
        return true;
    }

    /**
     * The stretch of a billing period one set of prices meters: from the period's start (or a plan
     * change) to its end (or the next change). {@code soldAt} picks the product's prices the
     * subscription was sold at: live then (a price archived later still bills what it sold).
     */
    record Window(Instant start, Instant end, String productId, Instant soldAt) {

        boolean holds(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }

        String encode() {
            return String.join("/", start.toString(), end.toString(), productId, soldAt.toString());
        }

        static Window decode(String s) {
            String[] f = s.split("/");
            return new Window(Instant.parse(f[0]), Instant.parse(f[1]), f[2], Instant.parse(f[3]));
        }
    }

    private boolean subscription(CdcChange change) throws Exception {
        if (change.op().equals(CdcChange.DELETE)) {
            return false;
        }
        CatalogRows.Subscription next = CatalogRows.subscription(change.data());
        String before = subscriptions.get(next.id());
        if (before == null) {
            // First seen: sold at creation, or at the plan change its current prices come from.
            soldAt.put(next.id(), next.usagePeriodStart() != null ? next.usagePeriodStart().toString() : next.createdAt().toString());
        } else {
            CatalogRows.Subscription previous = CatalogRows.subscription(before);
            if (previous.periodStart().isAfter(next.periodStart())
                    || previous.periodStart().equals(next.periodStart()) && previous.usageStart().isAfter(next.usageStart())) {
                return false; // an older version, delivered late
            }
            Window was = window(previous);
            if (!previous.productId().equals(next.productId())) {
                soldAt.put(next.id(), next.usageStart().toString()); // a plan change: the new product's prices, as sold then
            }
            if (!was.start().equals(next.usageStart())) {
                // A renewal or a plan change closes the window; billing-core bills its usage. Keep it for late events.
                forgetPreviousWindow(next.id());
                if (previous.billsUsage()) {
                    previousPeriod.put(next.id(), new Window(was.start(), next.usageStart(), was.productId(), was.soldAt()).encode());
                }
            }
        }
        subscriptions.put(next.id(), change.data());
        add(subscriptionsOfCustomer, next.customerId(), next.id());
        return true;
    }

    private Window window(CatalogRows.Subscription subscription) throws Exception {
        String sold = soldAt.get(subscription.id());
        return new Window(subscription.usageStart(), subscription.periodEnd(), subscription.productId(),
                sold == null ? subscription.createdAt() : Instant.parse(sold));
    }

    /** The window before the current one is invoiced and past: its aggregates go (bounded state). */
    private void forgetPreviousWindow(String subscriptionId) throws Exception {
        String previous = previousPeriod.get(subscriptionId);
        if (previous == null) {
            return;
        }
        Window window = Window.decode(previous);
        String priceIds = pricesOfProduct.get(window.productId());
        for (String priceId : priceIds == null ? new String[0] : priceIds.split(",")) {
            accruals.remove(subscriptionId + "|" + priceId + "|" + window.start());
        }
        previousPeriod.remove(subscriptionId);
    }

    /**
     * Accrues the event into every line it moves; false when it must wait for catalog rows not
     * seen yet (its customer, a subscription or period covering it, a meter).
     */
    private boolean accrue(Event event, Collector<RowData> out) throws Exception {
        String customerId = event.customerId() != null ? event.customerId()
                : event.externalCustomerId() == null ? null : customerByExternalId.get(event.externalCustomerId());
        if (customerId == null) {
            return event.externalCustomerId() == null; // an anonymous event is no one's usage
        }
        String subscriptionIds = subscriptionsOfCustomer.get(customerId);
        if (subscriptionIds == null) {
            return false;
        }
        // First what the event moves, without touching state: it may still have to wait for a meter.
        record Line(CatalogRows.Subscription subscription, CatalogRows.MeteredPrice price, CatalogRows.Meter meter, Window window) {
        }
        List<Line> lines = new ArrayList<>();
        boolean coveredOrPast = false;
        for (String subscriptionId : subscriptionIds.split(",")) {
            CatalogRows.Subscription subscription = parse(subscriptions.get(subscriptionId), CatalogRows::subscription);
            if (!event.timestamp().isBefore(subscription.periodEnd())) {
                continue; // a period whose renewal has not arrived yet
            }
            coveredOrPast = true;
            Window window = windowOf(subscription, event.timestamp());
            if (window == null) {
                continue;
            }
            String priceIds = pricesOfProduct.get(window.productId());
            for (String priceId : priceIds == null ? new String[0] : priceIds.split(",")) {
                CatalogRows.MeteredPrice price = parse(prices.get(priceId), CatalogRows::meteredPrice);
                if (!price.currency().equals(subscription.currency()) || !price.liveAt(window.soldAt())) {
                    continue;
                }
                String meterJson = meters.get(price.meterId());
                if (meterJson == null) {
                    return false;
                }
                lines.add(new Line(subscription, price, parse(meterJson, CatalogRows::meter), window));
            }
        }
        if (!coveredOrPast) {
            return false;
        }
        MeterEvent meterEvent = lines.isEmpty() ? null
                : CatalogRows.event(event.name(), event.source(), event.timestamp(), event.metadata());
        for (Line line : lines) {
            if (line.meter().filter().matches(meterEvent)) {
                out.collect(add(event, meterEvent, customerId, line.subscription(), line.price(), line.meter(), line.window())
                        .toRowData());
            }
        }
        return true;
    }

    /** The billed window holding {@code at}: the current one, or the one before it; null when neither bills usage. */
    private Window windowOf(CatalogRows.Subscription subscription, Instant at) throws Exception {
        Window current = window(subscription);
        if (current.holds(at)) {
            return subscription.billsUsage() ? current : null;
        }
        String previous = previousPeriod.get(subscription.id());
        Window before = previous == null ? null : Window.decode(previous);
        return before != null && before.holds(at) ? before : null;
    }

    private UsageAccrual add(Event event, MeterEvent meterEvent, String customerId, CatalogRows.Subscription subscription,
                             CatalogRows.MeteredPrice price, CatalogRows.Meter meter, Window window) throws Exception {
        String key = subscription.id() + "|" + price.id() + "|" + window.start();
        String stored = accruals.get(key);
        Aggregation.Accumulator accumulator = stored == null ? meter.aggregation().accumulator()
                : meter.aggregation().resume(PartialCodec.decode(stored));
        BigDecimal before = accumulator.value();
        accumulator.add(meterEvent);
        BigDecimal after = accumulator.value();
        accruals.put(key, PartialCodec.encode(accumulator.partial()));
        long amount = Math.subtractExact(price.price().amount(after).minorUnits(), price.price().amount(before).minorUnits());
        return new UsageAccrual(event.organizationId(), customerId, subscription.id(), price.id(), meter.id(), window.start(),
                window.end(), event.id(), event.timestamp(), price.currency(), after.subtract(before),
                dev.marginal.pricing.Money.of(amount, price.currency()).toMajor());
    }

    private static void add(MapState<String, String> index, String key, String id) throws Exception {
        String ids = index.get(key);
        if (ids == null) {
            index.put(key, id);
        } else if (!List.of(ids.split(",")).contains(id)) {
            index.put(key, ids + "," + id);
        }
    }

    /** Catalog rows are parsed once per version, not once per event. */
    @SuppressWarnings("unchecked")
    private <T> T parse(String json, java.util.function.Function<String, T> reader) {
        Object value = parsed.get(json);
        if (value == null) {
            if (parsed.size() >= PARSED_CACHE) {
                parsed.clear();
            }
            value = reader.apply(json);
            parsed.put(json, value);
        }
        return (T) value;
    }
}
