package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedPortsAndAHomeInsideTheProject() {
        StackConfig config = StackConfig.from(Map.of("MARGINAL_ROOT", dir.toString()), Path.of("/"));

        assertThat(config.root()).isEqualTo(dir);
        assertThat(config.home()).isEqualTo(dir.resolve(".marginal"));
        assertThat(config.jdbcUrl("marginal")).isEqualTo("jdbc:postgresql://127.0.0.1:15432/marginal");
        assertThat(config.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(config.kafkaControllerPort()).isEqualTo(9093);
        assertThat(config.trinoUrl()).isEqualTo("https://127.0.0.1:8088");
        assertThat(config.trinoInternalPort()).isEqualTo(8089);
        assertThat(config.billingUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.dashboardPort()).isEqualTo(8090);
        assertThat(config.cdcHealthPort()).isEqualTo(8091);
        assertThat(config.flinkHealthPort()).isEqualTo(8092);
        assertThat(config.trinoHeap()).isEqualTo("2G");
        assertThat(config.trinoJavaHome()).isEmpty();
        assertThat(config.logDir()).isEqualTo(dir.resolve(".marginal/logs"));
        assertThat(config.runDir()).isEqualTo(dir.resolve(".marginal/run"));
    }

    @Test
    void everyVariableOverridesItsDefault() {
        StackConfig config = StackConfig.from(Map.ofEntries(
                Map.entry("MARGINAL_ROOT", dir.toString()),
                Map.entry("MARGINAL_HOME", "/srv/marginal"),
                Map.entry("MARGINAL_POSTGRES_PORT", "25433"),
                Map.entry("MARGINAL_KAFKA_PORT", "29092"),
                Map.entry("MARGINAL_KAFKA_CONTROLLER_PORT", "29093"),
                Map.entry("MARGINAL_TRINO_PORT", "28088"),
                Map.entry("MARGINAL_BILLING_PORT", "28080"),
                Map.entry("MARGINAL_DASHBOARD_PORT", "28090"),
                Map.entry("MARGINAL_CDC_HEALTH_PORT", "28091"),
                Map.entry("MARGINAL_FLINK_HEALTH_PORT", "28092"),
                Map.entry("TRINO_JAVA_HOME", "/opt/jdk-25"),
                Map.entry("MARGINAL_TRINO_HEAP", "3G")), Path.of("/"));

        assertThat(config.home()).isEqualTo(Path.of("/srv/marginal"));
        assertThat(config.jdbcUrl("marginal_catalog")).isEqualTo("jdbc:postgresql://127.0.0.1:25433/marginal_catalog");
        assertThat(config.kafkaBootstrap()).isEqualTo("127.0.0.1:29092");
        assertThat(config.kafkaControllerPort()).isEqualTo(29093);
        assertThat(config.trinoUrl()).isEqualTo("https://127.0.0.1:28088");
        assertThat(config.trinoJdbcUrl()).startsWith("jdbc:trino://127.0.0.1:28088/marginal?SSL=true&SSLTrustStorePath=");
        assertThat(config.billingUrl()).isEqualTo("http://127.0.0.1:28080");
        assertThat(config.dashboardPort()).isEqualTo(28090);
        assertThat(config.cdcHealthPort()).isEqualTo(28091);
        assertThat(config.flinkHealthPort()).isEqualTo(28092);
        assertThat(config.trinoJavaHome()).contains(Path.of("/opt/jdk-25"));
        assertThat(config.trinoHeap()).isEqualTo("3G");
        assertThat(config.warehouseUri()).isEqualTo("file:///srv/marginal/warehouse");
    }

    @Test
    void aRelativeHomeIsResolvedAgainstTheProjectRoot() {
        StackConfig config = StackConfig.from(Map.of("MARGINAL_ROOT", dir.toString(), "MARGINAL_HOME", "state"), Path.of("/"));

        assertThat(config.home()).isEqualTo(dir.resolve("state"));
    }

    @Test
    void aBadPortNamesTheVariable() {
        assertThatThrownBy(() -> StackConfig.from(Map.of("MARGINAL_TRINO_PORT", "eighty"), dir))
                .hasMessageContaining("MARGINAL_TRINO_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> StackConfig.from(Map.of("MARGINAL_KAFKA_PORT", "70000"), dir))
                .hasMessageContaining("MARGINAL_KAFKA_PORT");
    }

    @Test
    void systemPropertiesWinOverTheEnvironment() {
        System.setProperty("MARGINAL_TRINO_PORT", "28123");
        try {
            assertThat(StackConfig.fromEnvironment().trinoPort()).isEqualTo(28123);
        } finally {
            System.clearProperty("MARGINAL_TRINO_PORT");
        }
    }

    @Test
    void theRootIsFoundFromAModuleDirectoryByBinMarginal() throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("bin/marginal"), "#!/bin/sh\n");
        Path module = Files.createDirectories(dir.resolve("billing-core/service"));

        assertThat(StackConfig.findRoot(module)).contains(dir);
        assertThat(StackConfig.from(Map.of(), module).root()).isEqualTo(dir);
    }

    @Test
    void theRootIsFoundByTheParentPomButNotByAModulePom() throws Exception {
        Files.writeString(dir.resolve("pom.xml"), "<project><artifactId>marginal-parent</artifactId><modules><module>stack</module></modules></project>");
        Path module = Files.createDirectories(dir.resolve("stack"));
        Files.writeString(module.resolve("pom.xml"), "<project><parent><artifactId>marginal-parent</artifactId></parent></project>");

        assertThat(StackConfig.findRoot(module)).contains(dir);
    }

    @Test
    void withoutAProjectTheCwdIsTheRoot() {
        assertThat(StackConfig.findRoot(dir)).isEqualTo(Optional.empty());
        assertThat(StackConfig.from(Map.of(), dir).root()).isEqualTo(dir);
    }
}
