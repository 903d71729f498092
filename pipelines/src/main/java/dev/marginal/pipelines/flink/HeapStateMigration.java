package dev.marginal.pipelines.flink;

import dev.marginal.pipelines.PipelinesConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.KeyGroupsSavepointStateHandle;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.flink.CatalogLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a home whose newest checkpoint the heap backend wrote (releases before the job kept its
 * keyed state in RocksDB) onto RocksDB without losing state. RocksDB cannot read the heap
 * backend's own checkpoint format, only a savepoint in Flink's canonical format; so this restores
 * the checkpoint on the heap backend once, stops the job with a canonical savepoint, and files
 * that savepoint as the newest checkpoint of a run of its own, where {@link CheckpointRecovery}
 * finds it. A crash before the savepoint completes leaves the heap checkpoint the newest, and the
 * next start migrates again.
 */
final class HeapStateMigration {

    private static final Logger LOG = LoggerFactory.getLogger(HeapStateMigration.class);

    private HeapStateMigration() {
    }

    /** True when any keyed state in the checkpoint is in the heap backend's native format. */
    static boolean writtenByHeapBackend(Path checkpointDirectory) throws IOException {
        CheckpointMetadata metadata;
        try (InputStream in = Files.newInputStream(checkpointDirectory.resolve("_metadata"))) {
            metadata = Checkpoints.loadCheckpointMetadata(new DataInputStream(in),
                    HeapStateMigration.class.getClassLoader(), checkpointDirectory.toString());
        }
        for (OperatorState operator : metadata.getOperatorStates()) {
            for (OperatorSubtaskState subtask : operator.getStates()) {
                for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
                    if (handle instanceof KeyGroupsStateHandle && !(handle instanceof KeyGroupsSavepointStateHandle)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Restores {@code from} on the heap backend, stops with a canonical savepoint and returns it,
     * filed as {@code <checkpoints>/migrated-<job-id>/chk-<n+1>}.
     */
    static CheckpointRecovery.Completed toCanonicalSavepoint(Configuration rocksDbConfiguration, PipelinesConfig config,
                                                             CatalogLoader catalogLoader, Path checkpoints,
                                                             CheckpointRecovery.Completed from) throws Exception {
        LOG.info("Checkpoint {} holds heap-backend state: moving it to RocksDB through a canonical savepoint", from.directory());
        Configuration conf = new Configuration(rocksDbConfiguration);
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, false);
        // No periodic checkpoint competes with the savepoint; the savepoint commits to Iceberg as one would.
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofDays(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        RawEventsJob.buildPipeline(env, config, catalogLoader);
        JobClient job = env.executeAsync("marginal " + RawEventsJob.JOB + " (state migration)");
        Path staging = checkpoints.resolveSibling("savepoints");
        String savepoint = null;
        // A savepoint needs every task running; the restore takes a moment.
        for (int attempt = 0; savepoint == null; attempt++) {
            try {
                if (job.getJobStatus().get(10, TimeUnit.SECONDS) == JobStatus.RUNNING) {
                    savepoint = job.stopWithSavepoint(false, staging.toUri().toString(), SavepointFormatType.CANONICAL)
                            .get(2, TimeUnit.MINUTES);
                }
            } catch (Exception e) {
                if (attempt >= 60) {
                    job.cancel();
                    throw e;
                }
                LOG.debug("Savepoint not taken yet", e);
            }
            if (savepoint == null) {
                Thread.sleep(1000);
            }
        }
        job.getJobExecutionResult().get();
        // Canonical savepoints refer to their files relatively, so the directory may move.
        Path target = checkpoints.resolve("migrated-" + job.getJobID()).resolve("chk-" + (from.number() + 1));
        Files.createDirectories(target.getParent());
        Files.move(Path.of(java.net.URI.create(savepoint)), target);
        LOG.info("Heap-backend state of {} is now savepoint {}", from.directory(), target);
        return CheckpointRecovery.newest(checkpoints).filter(c -> c.directory().equals(target))
                .orElseThrow(() -> new IllegalStateException("Moved savepoint " + target + " is not the newest checkpoint"));
    }

    static Optional<CheckpointRecovery.Completed> migrateIfNeeded(Configuration rocksDbConfiguration, PipelinesConfig config,
                                                                  CatalogLoader catalogLoader, Path checkpoints,
                                                                  Optional<CheckpointRecovery.Completed> restore) throws Exception {
        if (restore.isEmpty() || !writtenByHeapBackend(restore.get().directory())) {
            return restore;
        }
        return Optional.of(toCanonicalSavepoint(rocksDbConfiguration, config, catalogLoader, checkpoints, restore.get()));
    }
}
