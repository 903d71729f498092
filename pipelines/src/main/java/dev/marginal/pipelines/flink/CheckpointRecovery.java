package dev.marginal.pipelines.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds where a restarted job resumes: the newest completed checkpoint under
 * {@code <checkpoints>/<job-id>/chk-<n>/_metadata}. Flink writes {@code _metadata} atomically
 * (temp file, then rename) and only for a completed checkpoint, so its presence is the test.
 * Checkpoint numbers continue across restores, but a run started without one begins again at 1,
 * hence the ordering by the time the checkpoint completed first.
 */
public final class CheckpointRecovery {

    private CheckpointRecovery() {
    }

    public record Completed(Path directory, long number, FileTime completedAt) {
        Path jobDirectory() {
            return directory.getParent();
        }
    }

    public static Optional<Completed> newest(Path checkpoints) {
        return completed(checkpoints).max(Comparator.comparing(Completed::completedAt)
                .thenComparingLong(Completed::number));
    }

    /**
     * Deletes the directories of earlier runs, keeping the run that holds {@code keep}; Flink's own
     * retention ({@code execution.checkpointing.num-retained}) bounds the checkpoints of each run.
     */
    public static void deleteOtherRuns(Path checkpoints, Completed keep) {
        if (!Files.isDirectory(checkpoints)) {
            return;
        }
        try (Stream<Path> runs = Files.list(checkpoints)) {
            for (Path run : runs.filter(Files::isDirectory).filter(r -> !r.equals(keep.jobDirectory())).toList()) {
                deleteRecursively(run);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Completed> completed(Path checkpoints) {
        if (!Files.isDirectory(checkpoints)) {
            return Stream.empty();
        }
        try (Stream<Path> runs = Files.list(checkpoints)) {
            List<Path> chkDirs = runs.filter(Files::isDirectory)
                    .flatMap(CheckpointRecovery::children)
                    .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .toList();
            return chkDirs.stream().map(dir -> new Completed(dir,
                    Long.parseLong(dir.getFileName().toString().substring(4)),
                    modified(dir.resolve("_metadata"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Deletes {@code root} and everything under it (also used by {@code Reset}). */
    public static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
