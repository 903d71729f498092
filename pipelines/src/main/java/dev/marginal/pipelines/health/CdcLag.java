package dev.marginal.pipelines.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code marginal_cdc_lag_seconds}: now − the commit time in PostgreSQL of the newest change the
 * CDC runner has delivered to Kafka (Debezium's {@code source.ts_ms}). It rises by one second per
 * second while nothing is written, so read it beside {@code marginal_cdc_slot_wal_retained_bytes}:
 * high lag with little WAL retained is an idle database, high lag with growing WAL a stalled runner.
 */
public final class CdcLag {

    static final String NAME = "marginal_cdc_lag_seconds";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final AtomicLong newestCommitMillis = new AtomicLong(Long.MIN_VALUE);

    CdcLag(Clock clock) {
        this.clock = clock;
    }

    public static CdcLag register(Metrics metrics) {
        return register(metrics, Clock.systemUTC());
    }

    static CdcLag register(Metrics metrics, Clock clock) {
        CdcLag lag = new CdcLag(clock);
        metrics.gauge(NAME, "Seconds between now and the PostgreSQL commit of the newest change sent to Kafka", lag::seconds);
        return lag;
    }

    /** Notes a change Kafka has acknowledged (Debezium JSON without schemas); anything without {@code source.ts_ms} is ignored. */
    public void delivered(String debeziumValue) {
        if (debeziumValue == null) {
            return;
        }
        try {
            JsonNode commitMillis = JSON.readTree(debeziumValue).path("source").path("ts_ms");
            if (commitMillis.isIntegralNumber()) {
                newestCommitMillis.accumulateAndGet(commitMillis.asLong(), Math::max);
            }
        } catch (Exception e) {
            // A value we cannot read is Kafka's and Flink's business (the DLQ); the gauge just skips it.
        }
    }

    double seconds() {
        long newest = newestCommitMillis.get();
        return newest == Long.MIN_VALUE ? Double.NaN : Math.max(0, clock.millis() - newest) / 1000.0;
    }
}
