package dev.marginal.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL server programs: Debian's /usr/lib/postgresql/&lt;version&gt;/bin (newest
 * version first), else initdb on the PATH. As root on a machine with apt-get, a missing server is
 * installed from Debian's {@code postgresql} package.
 */
record PostgresBinaries(Path binDir) {

    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    Path program(String name) {
        return binDir.resolve(name);
    }

    static PostgresBinaries locateOrInstall() {
        return locate(DEBIAN_ROOT).orElseGet(() -> {
            install();
            return locate(DEBIAN_ROOT).orElseThrow(() -> new StackException(
                    "PostgreSQL was installed but no server programs were found under " + DEBIAN_ROOT));
        });
    }

    static Optional<PostgresBinaries> locate(Path debianRoot) {
        return newestDebianVersion(debianRoot).or(PostgresBinaries::onPath).map(PostgresBinaries::new);
    }

    /** The bin directory of the highest numeric version under {@code debianRoot} that has a server. */
    static Optional<Path> newestDebianVersion(Path debianRoot) {
        if (!Files.isDirectory(debianRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debianRoot)) {
            return versions
                    .filter(dir -> dir.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(dir -> Files.isExecutable(dir.resolve("bin/postgres")) && Files.isExecutable(dir.resolve("bin/initdb")))
                    .max(Comparator.comparingDouble(dir -> Double.parseDouble(dir.getFileName().toString())))
                    .map(dir -> dir.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(Path::of)
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("postgres")))
                .findFirst();
    }

    private static void install() {
        boolean apt = Files.isExecutable(Path.of("/usr/bin/apt-get"));
        if (!OsUser.isRoot() || !apt) {
            throw new StackException("PostgreSQL server programs not found (looked in " + DEBIAN_ROOT
                    + "/<version>/bin and on the PATH). Install PostgreSQL 15 or newer, e.g. `sudo apt-get install postgresql`.");
        }
        Progress.say("PostgreSQL server not found; installing Debian's postgresql package (apt-get, ~1 min)…");
        preventDefaultCluster();
        Path cwd = Path.of("/");
        Progress.say("  apt-get update");
        Commands.runOrFail(List.of("apt-get", "update", "-q"), cwd, 600);
        Progress.say("  apt-get install -y --no-install-recommends postgresql");
        Commands.runOrFail(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
                // keep our createcluster.conf instead of asking about it
                "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
                "--no-install-recommends", "postgresql"), cwd, 900);
        Progress.say("  PostgreSQL installed");
    }

    /** Debian would create and start a "main" cluster on port 5432; the stack runs its own server instead. */
    private static void preventDefaultCluster() {
        Path conf = Path.of("/etc/postgresql-common/createcluster.conf");
        if (Files.exists(conf)) {
            return;
        }
        try {
            Files.createDirectories(conf.getParent());
            Files.writeString(conf, "# written by Marginal's stack: it runs its own PostgreSQL server\ncreate_main_cluster = false\n");
        } catch (IOException e) {
            Progress.say("  (could not write " + conf + ": " + e.getMessage() + "; Debian may start a server on 5432)");
        }
    }
}
