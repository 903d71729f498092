package dev.marginal.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which {@code java} runs a service. Our own services run on the JVM running the stack; Trino needs
 * Java 24 or newer, found through TRINO_JAVA_HOME or as the newest JDK under /usr/lib/jvm.
 */
public final class JavaRuntime {

    public static final int TRINO_MINIMUM = 24;
    static final Path JVM_ROOT = Path.of("/usr/lib/jvm");
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private JavaRuntime() {}

    /** The java binary of the running JVM. */
    public static Path current() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The java binary for Trino: {@code explicitHome} if given (and new enough), else the newest JDK ≥ 24 under {@code jvmRoot}. */
    public static Path forTrino(Optional<Path> explicitHome, Path jvmRoot) {
        if (explicitHome.isPresent()) {
            Path home = explicitHome.get();
            int version = majorVersion(home).orElseThrow(() -> new StackException(
                    "TRINO_JAVA_HOME=" + home + " is not a JDK (no readable 'release' file)"));
            if (version < TRINO_MINIMUM) {
                throw new StackException("TRINO_JAVA_HOME=" + home + " is Java " + version + "; Trino needs Java " + TRINO_MINIMUM + " or newer");
            }
            return home.resolve("bin/java");
        }
        return newest(jvmRoot)
                .filter(home -> majorVersion(home).orElse(0) >= TRINO_MINIMUM)
                .map(home -> home.resolve("bin/java"))
                .orElseThrow(() -> new StackException("Trino needs Java " + TRINO_MINIMUM + " or newer and none was found under "
                        + jvmRoot + ". Install one (e.g. Temurin 25) or point TRINO_JAVA_HOME at it."));
    }

    /** The JDK with the highest major version under {@code jvmRoot}. */
    static Optional<Path> newest(Path jvmRoot) {
        if (!Files.isDirectory(jvmRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvmRoot)) {
            return homes
                    .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> majorVersion(home).isPresent())
                    // symlinked aliases (e.g. default-java) name the same JDK; prefer the real directory
                    .filter(home -> !Files.isSymbolicLink(home))
                    .max(Comparator.comparingInt((Path home) -> majorVersion(home).orElse(0))
                            .thenComparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The major version from a JDK's {@code release} file: 25 for {@code JAVA_VERSION="25.0.3"}, 8 for "1.8.0_402". */
    static Optional<Integer> majorVersion(Path javaHome) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(javaHome.resolve("release")));
            if (!m.find()) {
                return Optional.empty();
            }
            int first = Integer.parseInt(m.group(1));
            if (first == 1) {
                Matcher legacy = Pattern.compile("(?m)^JAVA_VERSION=\"1\\.(\\d+)").matcher(Files.readString(javaHome.resolve("release")));
                return legacy.find() ? Optional.of(Integer.parseInt(legacy.group(1))) : Optional.empty();
            }
            return Optional.of(first);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
