package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.stack.ServiceLevels.Sli;
import dev.marginal.stack.ServiceLevels.State;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceLevelsTest {

    /** What billing-core's /actuator/prometheus answers (abridged): Micrometer's names, labels and SLO buckets. */
    private static final String BILLING = """
            # HELP http_server_requests_seconds
            # TYPE http_server_requests_seconds histogram
            http_server_requests_seconds_bucket{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/v1/events/ingest",le="0.1"} 1900
            http_server_requests_seconds_bucket{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/v1/events/ingest",le="0.25"} 1975
            http_server_requests_seconds_bucket{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/v1/events/ingest",le="0.5"} 1990
            http_server_requests_seconds_bucket{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/v1/events/ingest",le="+Inf"} 2000
            http_server_requests_seconds_count{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/v1/events/ingest"} 2000
            http_server_requests_seconds_sum{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/v1/events/ingest"} 81.5
            http_server_requests_seconds_bucket{error="none",exception="none",method="POST",outcome="CLIENT_ERROR",status="422",uri="/v1/events/ingest",le="0.5"} 40
            http_server_requests_seconds_count{error="none",exception="none",method="POST",outcome="CLIENT_ERROR",status="422",uri="/v1/events/ingest"} 40
            http_server_requests_seconds_bucket{error="DataAccessException",exception="DataAccessException",method="POST",outcome="SERVER_ERROR",status="503",uri="/v1/events/ingest",le="0.5"} 0
            http_server_requests_seconds_count{error="DataAccessException",exception="DataAccessException",method="POST",outcome="SERVER_ERROR",status="503",uri="/v1/events/ingest"} 3
            http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/v1/customers/",le="0.25"} 90
            http_server_requests_seconds_count{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/v1/customers/"} 100
            http_server_requests_seconds_count{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/actuator/prometheus"} 500
            """;

    private static final String RAW_EVENTS = """
            # TYPE marginal_raw_events_newest_committed_age_seconds gauge
            marginal_raw_events_newest_committed_age_seconds 4.2
            marginal_raw_events_kafka_consumer_lag_records 120
            marginal_raw_events_checkpoint_duration_seconds 0.35
            marginal_raw_events_checkpoints_completed_total 812
            marginal_raw_events_checkpoints_failed_total 0
            marginal_raw_events_dlq_topic_records 2
            """;

    private static final String CDC = """
            marginal_cdc_lag_seconds 1.5
            marginal_cdc_slot_wal_retained_bytes 3145728
            """;

    private static Sli sli(List<Sli> slis, String name) {
        return slis.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private final List<Sli> slis = ServiceLevels.of(Optional.of(PrometheusText.parse(BILLING)), Optional.of(PrometheusText.parse(RAW_EVENTS)));

    @Test
    void ingestAvailabilityCountsOnly5xxAsBadAnd4xxAsTheCallersGood() {
        // 2 000 + 40 + 3 = 2 043 ingests, 3 of them 5xx: 2 040 / 2 043 = 99.853 % < 99.9 %
        Sli availability = sli(slis, "ingest availability");
        assertThat(availability.now()).isEqualTo("99.853 %");
        assertThat(availability.state()).isEqualTo(State.MISSED);
        assertThat(availability.basis()).isEqualTo("2043 requests, 3 5xx, since billing-core started");
    }

    @Test
    void ingestLatencyIsTheShareOfNon5xxAnswersInTheHalfSecondBucket() {
        // non-5xx: 2 000 + 40 = 2 040; within 500 ms: 1 990 + 40 = 2 030; 2 030 / 2 040 = 99.510 % ≥ 99 %
        Sli latency = sli(slis, "ingest latency");
        assertThat(latency.now()).isEqualTo("99.510 %");
        assertThat(latency.state()).isEqualTo(State.MET);
    }

    @Test
    void theBillingApiIsEveryOtherV1RouteAtTwoHundredFiftyMilliseconds() {
        // /actuator is not /v1; 90 of 100 GET /v1/customers/ within 250 ms = 90 % < 99 %
        assertThat(sli(slis, "billing API availability").now()).isEqualTo("100.000 %");
        assertThat(sli(slis, "billing API latency").now()).isEqualTo("90.000 %");
        assertThat(sli(slis, "billing API latency").state()).isEqualTo(State.MISSED);
    }

    @Test
    void freshnessIsTheAgeOfTheNewestCommittedRow() {
        assertThat(sli(slis, "warehouse freshness").now()).isEqualTo("4.2 s");
        assertThat(sli(slis, "warehouse freshness").state()).isEqualTo(State.MET);
    }

    @Test
    void aServiceThatDoesNotAnswerMakesItsSlisUnknownNotGood() {
        List<Sli> down = ServiceLevels.of(Optional.empty(), Optional.empty());
        assertThat(down).extracting(Sli::state).containsOnly(State.UNKNOWN);
        assertThat(sli(down, "ingest availability").basis()).isEqualTo("billing-core does not answer");
    }

    @Test
    void noBucketAtTheThresholdIsUnknownRatherThanZeroPercent() {
        String withoutSloBuckets = "http_server_requests_seconds_count{method=\"POST\",status=\"200\",uri=\"/v1/events/ingest\"} 10\n";
        Sli latency = sli(ServiceLevels.of(Optional.of(PrometheusText.parse(withoutSloBuckets)), Optional.empty()), "ingest latency");
        assertThat(latency.state()).isEqualTo(State.UNKNOWN);
        assertThat(latency.basis()).contains("no 500 ms bucket");
    }

    @Test
    void theTablePrintsOneLinePerSli() {
        String table = ServiceLevels.table(slis);
        assertThat(table.lines()).hasSize(7).first().asString().startsWith("SLI");
        assertThat(table).contains("ingest availability        99.853 %   ≥ 99.9 %   MISSED  2043 requests, 3 5xx");
        assertThat(table).contains("reconciliation drift       -          = 0        ?       no reconcile of every organisation yet");
    }

    @Test
    void pipelineFiguresReadTheRunnersMetrics() {
        String figures = ServiceLevels.figures(ServiceLevels.pipelineFigures(
                Optional.of(PrometheusText.parse(RAW_EVENTS)), Optional.of(PrometheusText.parse(CDC))));
        assertThat(figures)
                .contains("cdc lag                    1.5 s\n")
                .contains("cdc slot WAL retained      3.0 MiB\n")
                .contains("kafka consumer lag         120 records\n")
                .contains("last checkpoint            350 ms\n")
                .contains("checkpoints completed      812\n")
                .contains("dead letters               2 in marginal.dlq.raw-events\n");
        assertThat(ServiceLevels.figures(ServiceLevels.pipelineFigures(Optional.empty(), Optional.empty())))
                .contains("cdc lag                    - (runner does not answer)");
    }

    @Test
    void reconciliationDriftIsWhatTheLastReconcileOfEveryOrganisationFound() {
        java.time.Instant now = java.time.Instant.parse("2026-11-24T04:00:00Z");
        PrometheusText clean = PrometheusText.parse("marginal_reconcile_drift_minor_units{metric=\"revenue\",currency=\"usd\"} 0\n"
                + "marginal_reconcile_differences 0\nmarginal_reconcile_last_success_timestamp_seconds 1795489200\n");
        Sli met = ServiceLevels.drift(Optional.of(clean), now);
        assertThat(met.state()).isEqualTo(State.MET);
        assertThat(met.now()).isEqualTo("0");
        assertThat(met.basis()).contains("60 min ago");

        PrometheusText drifted = PrometheusText.parse("marginal_reconcile_differences 3\n"
                + "marginal_reconcile_last_success_timestamp_seconds 1795489200\n");
        assertThat(ServiceLevels.drift(Optional.of(drifted), now).state()).isEqualTo(State.MISSED);

        Sli stale = ServiceLevels.drift(Optional.of(clean), now.plusSeconds(26 * 3600));
        assertThat(stale.state()).as("not checked for over a day: nobody knows").isEqualTo(State.UNKNOWN);
        assertThat(stale.basis()).contains("27.0 h ago", "run it again");

        assertThat(ServiceLevels.drift(Optional.empty(), now).state()).isEqualTo(State.UNKNOWN);
    }
}
