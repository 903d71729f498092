package dev.marginal.pipelines.flink;

import dev.marginal.pipelines.health.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw-events runner's figures on {@code /metrics}. Freshness is measured at the commit, not
 * at the write: each checkpoint remembers the newest {@code ingested_at} it covers, and once the
 * Iceberg table shows that checkpoint committed, that row is what a query can see.
 */
public final class RawEventsMetrics {

    private static final ConcurrentNavigableMap<Long, Long> NEWEST_INGESTED_BY_CHECKPOINT = new ConcurrentSkipListMap<>();
    private static final AtomicLong NEWEST_COMMITTED_MICROS = new AtomicLong(Long.MIN_VALUE);
    private static final AtomicLong COMMITTED_CHECKPOINT = new AtomicLong(-1);

    static {
        Metrics.global().gauge("marginal_raw_events_newest_committed_age_seconds",
                "Seconds between now and ingested_at of the newest row committed to Iceberg",
                () -> {
                    long micros = NEWEST_COMMITTED_MICROS.get();
                    return micros == Long.MIN_VALUE ? Double.NaN : (System.currentTimeMillis() * 1000 - micros) / 1e6;
                });
        Metrics.global().gauge("marginal_raw_events_committed_checkpoint",
                "Newest checkpoint of this run whose rows are committed to Iceberg", COMMITTED_CHECKPOINT::get);
    }

    private RawEventsMetrics() {
    }

    // The names written out (not built from "raw_events") so deploy/slo/metrics.tsv can point at them.
    public static Metrics.Counter admitted() {
        return Metrics.global().counter("marginal_raw_events_records_total", "Rows written (after de-duplication)");
    }

    public static Metrics.Counter duplicates() {
        return Metrics.global().counter("marginal_raw_events_duplicates_total", "CDC redeliveries dropped by de-duplication");
    }

    /** {@code rows}: raw_events (usage events) or cdc_changes (the billing tables' changes). */
    public static Metrics.Counter admitted(String rows) {
        return Metrics.global().counter("marginal_" + rows + "_records_total", "Rows written (after de-duplication)");
    }

    public static Metrics.Counter duplicates(String rows) {
        return Metrics.global().counter("marginal_" + rows + "_duplicates_total", "CDC redeliveries dropped by de-duplication");
    }

    public static Metrics.Counter deadLetters() {
        return Metrics.global().counter("marginal_raw_events_dlq_total", "Records sent to marginal.dlq.raw-events");
    }

    /** Called as a checkpoint is taken: rows up to this {@code ingested_at} are in it. */
    static void checkpointTaken(long checkpointId, long newestIngestedMicros) {
        if (newestIngestedMicros != Long.MIN_VALUE) {
            NEWEST_INGESTED_BY_CHECKPOINT.merge(checkpointId, newestIngestedMicros, Math::max);
        }
    }

    /** Called when the table's newest snapshot says this checkpoint (and all before) committed. */
    public static void checkpointCommitted(long checkpointId) {
        COMMITTED_CHECKPOINT.accumulateAndGet(checkpointId, Math::max);
        Map<Long, Long> done = NEWEST_INGESTED_BY_CHECKPOINT.headMap(checkpointId, true);
        done.values().stream().mapToLong(Long::longValue).max()
                .ifPresent(newest -> NEWEST_COMMITTED_MICROS.accumulateAndGet(newest, Math::max));
        done.clear();
    }

    /** Ensures the gauges are registered before the first row arrives. */
    public static void register() {
        admitted();
        duplicates();
        admitted("cdc_changes");
        duplicates("cdc_changes");
        deadLetters();
    }
}
