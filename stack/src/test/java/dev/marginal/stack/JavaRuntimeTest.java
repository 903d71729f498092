package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimeTest {

    @TempDir
    Path jvms;

    private Path jdk(String dir, String version) throws Exception {
        Path home = Files.createDirectories(jvms.resolve(dir));
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void trinoGetsTheNewestJdkNotTheFirstOrTheDefault() throws Exception {
        jdk("java-17-openjdk-amd64", "17.0.15");
        jdk("temurin-24-jdk-amd64", "24.0.2");
        Path newest = jdk("temurin-25-jdk-amd64", "25.0.3");
        jdk("java-8-openjdk", "1.8.0_402");

        assertThat(JavaRuntime.forTrino(Optional.empty(), jvms)).isEqualTo(newest.resolve("bin/java"));
    }

    @Test
    void versionsComeFromTheReleaseFileIncludingTheOldOneDotScheme() throws Exception {
        assertThat(JavaRuntime.majorVersion(jdk("a", "25.0.3"))).contains(25);
        assertThat(JavaRuntime.majorVersion(jdk("b", "1.8.0_402"))).contains(8);
        assertThat(JavaRuntime.majorVersion(jvms.resolve("missing"))).isEmpty();
    }

    @Test
    void withoutAJdk24TrinoCannotStartAndTheMessageSaysWhatToInstall() throws Exception {
        jdk("java-17-openjdk-amd64", "17.0.15");

        assertThatThrownBy(() -> JavaRuntime.forTrino(Optional.empty(), jvms))
                .isInstanceOf(StackException.class).hasMessageContaining("Java 24").hasMessageContaining("TRINO_JAVA_HOME");
    }

    @Test
    void trinoJavaHomeWinsButMustBeNewEnough() throws Exception {
        jdk("temurin-25-jdk-amd64", "25.0.3");
        Path chosen = jdk("custom-24", "24.0.1");
        Path old = jdk("custom-21", "21.0.5");

        assertThat(JavaRuntime.forTrino(Optional.of(chosen), jvms)).isEqualTo(chosen.resolve("bin/java"));
        assertThatThrownBy(() -> JavaRuntime.forTrino(Optional.of(old), jvms)).hasMessageContaining("Java 21");
    }

    @Test
    void postgresBinariesAreTheNewestDebianVersion() throws Exception {
        for (String version : new String[] {"13", "15", "9.6"}) {
            Path bin = Files.createDirectories(jvms.resolve("pg/" + version + "/bin"));
            for (String program : new String[] {"postgres", "initdb"}) {
                Files.writeString(bin.resolve(program), "").toFile().setExecutable(true);
            }
        }

        assertThat(PostgresBinaries.newestDebianVersion(jvms.resolve("pg"))).contains(jvms.resolve("pg/15/bin"));
    }
}
