package dev.marginal.pipelines.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRecoveryTest {

    @TempDir
    Path checkpoints;

    Path checkpoint(String job, int n, boolean completed, String completedAt) throws IOException {
        Path dir = Files.createDirectories(checkpoints.resolve(job).resolve("chk-" + n));
        if (completed) {
            Path metadata = Files.writeString(dir.resolve("_metadata"), "x");
            Files.setLastModifiedTime(metadata, FileTime.from(Instant.parse(completedAt)));
        }
        return dir;
    }

    @Test
    void nothingToResumeFromOnAFirstStart() {
        assertThat(CheckpointRecovery.newest(checkpoints.resolve("missing"))).isEmpty();
        assertThat(CheckpointRecovery.newest(checkpoints)).isEmpty();
    }

    @Test
    void resumesFromTheNewestCompletedCheckpointAcrossRuns() throws IOException {
        checkpoint("run-1", 40, true, "2024-05-01T10:00:00Z");
        checkpoint("run-1", 41, true, "2024-05-01T10:00:02Z");
        Path newest = checkpoint("run-2", 43, true, "2024-05-01T10:01:00Z");
        checkpoint("run-2", 44, false, "2024-05-01T10:01:02Z"); // killed mid-checkpoint: no _metadata
        Files.createDirectories(checkpoints.resolve("run-2/shared"));

        assertThat(CheckpointRecovery.newest(checkpoints)).get()
                .extracting(CheckpointRecovery.Completed::directory).isEqualTo(newest);
    }

    @Test
    void aRunStartedWithoutACheckpointCountsFromOneButIsStillNewer() throws IOException {
        checkpoint("old-run", 500, true, "2024-05-01T10:00:00Z");
        Path newest = checkpoint("fresh-run", 2, true, "2024-05-01T11:00:00Z");

        assertThat(CheckpointRecovery.newest(checkpoints)).get()
                .extracting(CheckpointRecovery.Completed::directory).isEqualTo(newest);
    }

    @Test
    void earlierRunsAreDeletedAndTheResumedRunIsKept() throws IOException {
        checkpoint("run-1", 41, true, "2024-05-01T10:00:02Z");
        Path kept = checkpoint("run-2", 43, true, "2024-05-01T10:01:00Z");

        CheckpointRecovery.deleteOtherRuns(checkpoints, CheckpointRecovery.newest(checkpoints).orElseThrow());

        assertThat(checkpoints.resolve("run-1")).doesNotExist();
        assertThat(kept.resolve("_metadata")).exists();
    }
}
