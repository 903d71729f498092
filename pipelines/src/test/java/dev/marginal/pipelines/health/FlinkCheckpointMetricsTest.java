package dev.marginal.pipelines.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.Test;

class FlinkCheckpointMetricsTest {

    private final Metrics metrics = new Metrics();
    private final FlinkCheckpointMetrics reporter = new FlinkCheckpointMetrics(metrics);

    @Test
    void beforeTheFirstCheckpointDurationIsUnknownAndNothingIsCounted() {
        assertThat(metrics.render())
                .contains("marginal_raw_events_checkpoint_duration_seconds NaN\n")
                .contains("# TYPE marginal_raw_events_checkpoints_completed_total counter\n")
                .contains("marginal_raw_events_checkpoints_completed_total 0\n")
                .contains("marginal_raw_events_checkpoints_failed_total 0\n");
    }

    @Test
    void flinksJobManagerGaugesBecomeTheRunnersFigures() {
        AtomicLong completed = new AtomicLong(7);
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 1_250L, "lastCheckpointDuration", null);
        reporter.notifyOfAddedMetric((Gauge<Long>) completed::get, "numberOfCompletedCheckpoints", null);
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 2L, "numberOfFailedCheckpoints", null);

        // 1 250 ms → 1.25 s; counts are read at each scrape, so a later checkpoint shows without re-registering.
        assertThat(metrics.render())
                .contains("marginal_raw_events_checkpoint_duration_seconds 1.25\n")
                .contains("marginal_raw_events_checkpoints_completed_total 7\n")
                .contains("marginal_raw_events_checkpoints_failed_total 2\n");
        completed.set(8);
        assertThat(metrics.render()).contains("marginal_raw_events_checkpoints_completed_total 8\n");
    }

    @Test
    void flinkReportsMinusOneUntilACheckpointCompletes() {
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> -1L, "lastCheckpointDuration", null);
        assertThat(metrics.render()).contains("marginal_raw_events_checkpoint_duration_seconds NaN\n");
    }

    @Test
    void otherFlinkMetricsAndNonGaugesAreIgnored() {
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 99L, "numRestarts", null);
        reporter.notifyOfAddedMetric(new SimpleCounter(), "numberOfCompletedCheckpoints", null);
        assertThat(metrics.render()).contains("marginal_raw_events_checkpoints_completed_total 0\n");
    }

    @Test
    void aFinishedJobsGaugesStopCounting() {
        Gauge<Long> duration = () -> 400L;
        reporter.notifyOfAddedMetric(duration, "lastCheckpointDuration", null);
        reporter.notifyOfRemovedMetric(duration, "lastCheckpointDuration", null);
        assertThat(metrics.render()).contains("marginal_raw_events_checkpoint_duration_seconds NaN\n");
    }

    @Test
    void flinkFindsTheFactoryTheJobConfigures() {
        // Flink loads reporter factories with ServiceLoader and matches factory.class by class name.
        assertThat(ServiceLoader.load(MetricReporterFactory.class).stream().map(p -> p.type().getName()))
                .contains(FlinkCheckpointMetrics.Factory.class.getName());
    }
}
