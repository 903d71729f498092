package dev.marginal.pipelines.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CdcLagTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:10Z");
    private final Metrics metrics = new Metrics();
    private final CdcLag lag = CdcLag.register(metrics, Clock.fixed(NOW, ZoneOffset.UTC));

    private static String change(Instant committed) {
        return "{\"before\":null,\"after\":{\"id\":\"e1\"},\"source\":{\"connector\":\"postgresql\",\"ts_ms\":"
                + committed.toEpochMilli() + ",\"lsn\":123},\"op\":\"c\",\"ts_ms\":" + NOW.toEpochMilli() + "}";
    }

    @Test
    void unknownUntilTheFirstChangeIsDelivered() {
        assertThat(metrics.render()).contains("marginal_cdc_lag_seconds NaN\n");
    }

    @Test
    void lagIsNowMinusTheCommitTimeInPostgresqlNotTheTimeDebeziumReadIt() {
        lag.delivered(change(Instant.parse("2026-11-24T12:00:07.500Z")));
        // 12:00:10 − 12:00:07.5 = 2.5 s (the envelope's own ts_ms, Debezium's processing time, is ignored)
        assertThat(metrics.render()).contains("marginal_cdc_lag_seconds 2.5\n");
    }

    @Test
    void anOlderChangeDeliveredLaterDoesNotMakeTheLagJumpBack() {
        lag.delivered(change(Instant.parse("2026-11-24T12:00:09Z")));
        lag.delivered(change(Instant.parse("2026-11-24T12:00:01Z")));
        assertThat(lag.seconds()).isEqualTo(1.0);
    }

    @Test
    void valuesWithoutACommitTimeAreIgnored() {
        lag.delivered("{\"ts_ms\":1}");
        lag.delivered("not json");
        lag.delivered(null);
        assertThat(lag.seconds()).isNaN();
    }
}
