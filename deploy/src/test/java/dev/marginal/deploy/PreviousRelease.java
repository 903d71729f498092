package dev.marginal.deploy;

import dev.marginal.stack.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The release before this one, as {@code deploy/releases/previous} names it: a commit of this
 * repository's history. Read through git: its migrations, whether its code names something, and
 * its billing-core service jar, built from its own sources.
 *
 * <p>Without the commit (a shallow clone, a copy without {@code .git}) every use fails and says
 * so: the release rule cannot be checked without the release.
 */
final class PreviousRelease {

    static final String MIGRATIONS = "billing-core/service/src/main/resources/db/migration";
    static final String SERVICE_JAR = "billing-core/service/target/marginal-billing-service.jar";

    private final Path root;
    private final String commit;

    private PreviousRelease(Path root, String commit) {
        this.root = root;
        this.commit = commit;
    }

    static Path file() {
        return DeployFiles.deploy().resolve("releases/previous");
    }

    /** The previous release of the checkout under {@code marginal.root}; fails if git cannot show it. */
    static PreviousRelease named() {
        Path root = DeployFiles.root();
        String commit = DeployFiles.read(file()).lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(file() + " names no commit"));
        if (!commit.matches("[0-9a-f]{40}")) {
            throw new AssertionError(file() + " must name the previous release by its full 40-hex commit id, not '" + commit + "'");
        }
        Git result = git(root, "cat-file", "-e", commit + "^{commit}");
        if (result.exit() != 0) {
            throw new AssertionError("The previous release " + commit + " (" + file() + ") is not in the git history of " + root
                    + ", so the migrations cannot be checked against it" + (result.output().isBlank() ? "" : ": " + result.output().strip())
                    + ". In a shallow clone fetch it (git fetch --unshallow, or git fetch origin " + commit + "); a copy"
                    + " without .git cannot run this check.");
        }
        return new PreviousRelease(root, commit);
    }

    String commit() {
        return commit;
    }

    String shortCommit() {
        return commit.substring(0, 10);
    }

    /** Whether this checkout's HEAD descends from it (a release replaces its own past, not a branch beside it). */
    boolean isAncestorOfHead() {
        Git result = git(root, "merge-base", "--is-ancestor", commit, "HEAD");
        if (result.exit() > 1) {
            throw new AssertionError("git merge-base failed: " + result.output());
        }
        return result.exit() == 0;
    }

    /** Its Flyway files, by name, as they were in that commit. */
    List<ExpandContract.Migration> migrations() {
        List<ExpandContract.Migration> out = new ArrayList<>();
        for (String path : gitOrFail("ls-tree", "--name-only", commit, MIGRATIONS + "/").lines().toList()) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.matches("V\\d+__.+\\.sql")) {
                out.add(ExpandContract.Migration.of(name, gitOrFail("show", commit + ":" + path)));
            }
        }
        if (out.isEmpty()) {
            throw new AssertionError("the previous release " + commit + " has no migrations under " + MIGRATIONS);
        }
        return sorted(out);
    }

    /**
     * Whether any of its main sources except the migrations — billing-core, the pipelines, the
     * warehouse's SQL — names {@code identifier} as a whole word, in any case. Cautious on purpose:
     * a word found in a comment counts.
     */
    boolean mentions(String identifier) {
        Git grep = git(root, "grep", "-q", "-i", "-w", "-F", "-e", identifier, commit, "--",
                ":(glob)**/src/main/**", ":(exclude,glob)**/db/migration/**");
        if (grep.exit() > 1) {
            throw new AssertionError("git grep in " + commit + " failed: " + grep.output());
        }
        return grep.exit() == 0;
    }

    /** The current checkout's migrations. */
    static List<ExpandContract.Migration> currentMigrations() {
        Path dir = DeployFiles.root().resolve(MIGRATIONS);
        try (Stream<Path> files = Files.list(dir)) {
            return sorted(files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql"))
                    .map(f -> ExpandContract.Migration.of(f.getFileName().toString(), DeployFiles.read(f)))
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** deploy/releases/contract-steps.tsv: {@code V<n> <tab> object <tab> why}, # comments. */
    static List<ExpandContract.ListedStep> listedSteps() {
        Path file = DeployFiles.deploy().resolve("releases/contract-steps.tsv");
        List<ExpandContract.ListedStep> out = new ArrayList<>();
        int n = 0;
        for (String line : DeployFiles.read(file).split("\n")) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t");
            if (fields.length != 3 || !fields[0].matches("V\\d+") || fields[1].isBlank() || fields[2].isBlank()) {
                throw new AssertionError(file + ":" + n + " is not \"V<n><tab>object<tab>why\": " + line);
            }
            out.add(new ExpandContract.ListedStep(Integer.parseInt(fields[0].substring(1)), fields[1].strip(), fields[2].strip()));
        }
        return out;
    }

    private static List<ExpandContract.Migration> sorted(List<ExpandContract.Migration> migrations) {
        return migrations.stream().sorted(Comparator.comparingInt(ExpandContract.Migration::version)).toList();
    }

    /**
     * Its billing-core service jar, built from its own sources the first time (under
     * {@code work/<commit>}, kept there for later runs): {@code git archive} of the commit, then its
     * own Maven wrapper, offline first (the dependencies are usually in ~/.m2 already).
     */
    Path serviceJar(Path work) {
        Path dir = work.resolve(commit);
        Path jar = dir.resolve("marginal-billing-service.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Path src = dir.resolve("src");
        Path log = dir.resolve("build.log");
        try {
            Directories.deleteTree(src);
            Files.createDirectories(src);
            Path tar = dir.resolve("source.tar");
            gitOrFail("archive", "--format=tar", "-o", tar.toString(), commit);
            run(List.of("tar", "-xf", tar.toString(), "-C", src.toString()), src, log, 5);
            Files.delete(tar);
            List<String> build = List.of("./mvnw", "-q", "-pl", "billing-core/service", "-am", "package", "-DskipTests");
            List<String> offline = new ArrayList<>(build);
            offline.add(1, "-o");
            if (run(offline, src, log, 30) != 0 && run(build, src, log, 30) != 0) {
                throw new AssertionError("building the previous release " + commit + " failed; see " + log);
            }
            Path tmp = dir.resolve("marginal-billing-service.jar.tmp");
            Files.copy(src.resolve(SERVICE_JAR), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
            Directories.deleteTree(src);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int run(List<String> command, Path dir, Path log, int minutes) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "\n$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            // The outer Maven's wrapper exports where its project is; the inner build is another project.
            env.remove("MAVEN_PROJECTBASEDIR");
            env.remove("MAVEN_BASEDIR");
            env.put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " took over " + minutes + " minutes; see " + log);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String gitOrFail(String... args) {
        Git result = git(root, args);
        if (result.exit() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed (exit " + result.exit() + "): " + result.output());
        }
        return result.output();
    }

    private record Git(int exit, String output) {}

    private static Git git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("git " + String.join(" ", args) + " did not finish");
            }
            return new Git(process.exitValue(), output);
        } catch (IOException e) {
            return new Git(127, "git cannot be run here: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
