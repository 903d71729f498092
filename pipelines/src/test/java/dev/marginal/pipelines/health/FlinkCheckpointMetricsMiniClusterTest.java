package dev.marginal.pipelines.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.legacy.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The reporter key alone makes a real Flink mini-cluster feed its checkpoint figures into the runner's metrics. */
class FlinkCheckpointMetricsMiniClusterTest {

    @TempDir
    Path checkpoints;

    @Test
    @Timeout(120) // a guard against a hung cluster, not a performance threshold
    void aRunningJobsCompletedCheckpointsAppearOnMetrics() throws Exception {
        Configuration conf = new Configuration();
        conf.setString(FlinkCheckpointMetrics.REPORTER_FACTORY_KEY, FlinkCheckpointMetrics.Factory.class.getName());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("16m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("32m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("32m"));
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.fromSequence(1, Long.MAX_VALUE)
                .map(n -> {
                    Thread.sleep(1); // a trickle, not a busy loop on a shared machine
                    return n;
                })
                .addSink(new DiscardingSink<>());
        JobClient job = env.executeAsync("checkpoint metrics");
        String whileRunning;
        try {
            while (completed() < 2) {
                Thread.sleep(100);
            }
            whileRunning = Metrics.global().render();
        } finally {
            job.cancel().get();
        }
        assertThat(whileRunning).containsPattern("marginal_raw_events_checkpoint_duration_seconds \\d");

        // Once the job is gone its gauges are too: a finished job does not pose as a healthy one.
        while (completed() != 0) {
            Thread.sleep(100);
        }
        assertThat(Metrics.global().render()).contains("marginal_raw_events_checkpoint_duration_seconds NaN");
    }

    private static long completed() {
        return Metrics.global().render().lines()
                .filter(l -> l.startsWith(FlinkCheckpointMetrics.COMPLETED + " "))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
