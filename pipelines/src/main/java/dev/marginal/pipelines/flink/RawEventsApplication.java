package dev.marginal.pipelines.flink;

import dev.marginal.pipelines.PipelinesConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * The raw-events job as a Flink cluster runs it in application mode (the entry class of
 * deploy/k8s/flink-raw-events.yaml): {@code main} runs inside the JobManager, so it only prepares
 * the topics and tables and builds {@link RawEventsJob#buildPipeline}. Everything
 * {@link RawEventsJob#run} does for a process of its own is the cluster's there: checkpoint
 * interval, storage and retention, the state backend, restarts, parallelism and the restore point
 * (the operator's savepoint, or the HA store's checkpoint) all come from the cluster's
 * configuration, which a program configuration would override; no {@code /health} port (the
 * JobManager's REST API and metrics say whether it runs); and no {@code System.exit}, which would
 * take the JobManager down with it.
 */
public final class RawEventsApplication {

    private RawEventsApplication() {
    }

    public static void main(String[] args) throws Exception {
        PipelinesConfig config = PipelinesConfig.fromEnvironment();
        CatalogLoader catalogLoader = RawEventsTable.catalogLoader(config);
        RawEventsJob.prepare(config, catalogLoader);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // The Iceberg sinks commit only when a checkpoint completes: without checkpointing the job
        // would run, read Kafka and never write a row. Refuse rather than look healthy.
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            throw new IllegalStateException("checkpointing is off: set execution.checkpointing.interval in the cluster's"
                    + " configuration (the FlinkDeployment's flinkConfiguration); the Iceberg tables commit on checkpoints");
        }
        RawEventsJob.buildPipeline(env, config, catalogLoader);
        env.execute("marginal " + RawEventsJob.JOB);
    }
}
