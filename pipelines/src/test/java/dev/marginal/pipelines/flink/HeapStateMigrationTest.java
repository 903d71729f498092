package dev.marginal.pipelines.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeOffsets;
import org.apache.flink.runtime.state.KeyGroupsSavepointStateHandle;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoints need the one-time move to RocksDB: only those holding the heap backend's own format. */
class HeapStateMigrationTest {

    private static final KeyGroupRange ALL = KeyGroupRange.of(0, 127);

    @TempDir
    Path checkpoints;

    private Path checkpointHolding(String name, KeyedStateHandle keyedState) throws IOException {
        OperatorState dedup = new OperatorState("de-duplicate by id", "dedup-by-id", new OperatorID(), 1, 128);
        dedup.putState(0, OperatorSubtaskState.builder().setManagedKeyedState(keyedState).build());
        OperatorState stateless = new OperatorState("parse debezium json", "parse-debezium", new OperatorID(), 1, 128);
        stateless.putState(0, OperatorSubtaskState.builder().build());
        Path dir = Files.createDirectories(checkpoints.resolve(name).resolve("chk-7"));
        try (OutputStream out = Files.newOutputStream(dir.resolve("_metadata"))) {
            Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(7, List.of(stateless, dedup), List.of()), out);
        }
        return dir;
    }

    private static ByteStreamStateHandle bytes() {
        return new ByteStreamStateHandle(UUID.randomUUID().toString(), new byte[] {1, 2, 3});
    }

    @Test
    void aHeapBackendCheckpointIsMigrated() throws IOException {
        Path heap = checkpointHolding("heap", new KeyGroupsStateHandle(new KeyGroupRangeOffsets(ALL), bytes()));

        assertThat(HeapStateMigration.writtenByHeapBackend(heap)).isTrue();
    }

    @Test
    void rocksDbCheckpointsAndCanonicalSavepointsAreRestoredAsTheyAre() throws IOException {
        Path rocksDb = checkpointHolding("rocksdb",
                new IncrementalRemoteKeyedStateHandle(UUID.randomUUID(), ALL, 7, List.of(), List.of(), bytes()));
        Path savepoint = checkpointHolding("migrated",
                new KeyGroupsSavepointStateHandle(new KeyGroupRangeOffsets(ALL), bytes()));

        assertThat(HeapStateMigration.writtenByHeapBackend(rocksDb)).isFalse();
        assertThat(HeapStateMigration.writtenByHeapBackend(savepoint)).isFalse();
    }
}
