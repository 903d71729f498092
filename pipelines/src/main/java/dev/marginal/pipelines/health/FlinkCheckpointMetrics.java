package dev.marginal.pipelines.health;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's own checkpoint statistics (the JobManager's job-level gauges {@code lastCheckpointDuration},
 * {@code numberOfCompletedCheckpoints}, {@code numberOfFailedCheckpoints}) re-exported on the runner's
 * {@code /metrics}. A Flink metric reporter rather than polling the REST API: the mini-cluster's REST
 * port is random, and the reporter sees exactly the figures Flink's web UI shows.
 *
 * <p>Enabled by {@code metrics.reporter.marginal.factory.class} = {@link Factory} (Flink finds the
 * factory through {@code META-INF/services}). It reports in the JVM that runs the JobManager: the
 * runner itself with the mini-cluster; on a Flink cluster, Flink's Prometheus reporter does this job.
 */
public final class FlinkCheckpointMetrics implements MetricReporter {

    public static final String REPORTER_FACTORY_KEY = "metrics.reporter.marginal.factory.class";

    static final String DURATION = "marginal_raw_events_checkpoint_duration_seconds";
    static final String COMPLETED = "marginal_raw_events_checkpoints_completed_total";
    static final String FAILED = "marginal_raw_events_checkpoints_failed_total";

    private static final String LAST_DURATION_MS = "lastCheckpointDuration";
    private static final String NUMBER_COMPLETED = "numberOfCompletedCheckpoints";
    private static final String NUMBER_FAILED = "numberOfFailedCheckpoints";

    private final Map<String, Gauge<?>> flinkGauges = new ConcurrentHashMap<>();

    public FlinkCheckpointMetrics(Metrics metrics) {
        metrics.gauge(DURATION, "Duration of the newest completed Flink checkpoint (trigger to acknowledged by every task)",
                () -> {
                    double ms = read(LAST_DURATION_MS);
                    // Flink reports -1 until the first checkpoint completes.
                    return Double.isNaN(ms) || ms < 0 ? Double.NaN : ms / 1000.0;
                });
        metrics.counter(COMPLETED, "Flink checkpoints completed by this run's job", () -> count(NUMBER_COMPLETED));
        metrics.counter(FAILED, "Flink checkpoints that failed or expired in this run's job", () -> count(NUMBER_FAILED));
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
        flinkGauges.clear();
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (metric instanceof Gauge<?> gauge && isCheckpointFigure(metricName)) {
            flinkGauges.put(metricName, gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        flinkGauges.remove(metricName, metric);
    }

    private static boolean isCheckpointFigure(String metricName) {
        return LAST_DURATION_MS.equals(metricName) || NUMBER_COMPLETED.equals(metricName) || NUMBER_FAILED.equals(metricName);
    }

    private double read(String flinkName) {
        Gauge<?> gauge = flinkGauges.get(flinkName);
        return gauge != null && gauge.getValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private long count(String flinkName) {
        double v = read(flinkName);
        return Double.isNaN(v) ? 0 : (long) v;
    }

    /** What Flink instantiates: one reporter, counting into the runner's registry. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new FlinkCheckpointMetrics(Metrics.global());
        }
    }
}
