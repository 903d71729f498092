package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path root;

    private StackConfig config() {
        return StackConfig.from(Map.of("MARGINAL_ROOT", root.toString(), "MARGINAL_POSTGRES_PORT", "25499",
                "MARGINAL_KAFKA_PORT", "29492", "MARGINAL_KAFKA_CONTROLLER_PORT", "29493", "MARGINAL_TRINO_PORT", "28488",
                "MARGINAL_BILLING_PORT", "28480", "MARGINAL_CDC_HEALTH_PORT", "28491", "MARGINAL_FLINK_HEALTH_PORT", "28492",
                "MARGINAL_DASHBOARD_PORT", "28490"), root);
    }

    @Test
    void upNamesEveryMissingJarBeforeStartingAnything() {
        assertThatThrownBy(() -> new Stack(config()).up())
                .isInstanceOf(StackException.class)
                .hasMessageContaining("billing-core/service/target/marginal-billing-service.jar")
                .hasMessageContaining("pipelines/target/marginal-pipelines.jar")
                .hasMessageContaining("warehouse/dashboard/target/marginal-dashboard.jar");
        assertThat(config().runDir()).doesNotExist();
    }

    @Test
    void statusOfAStoppedStackIsEveryComponentDownAndExitCodeOne() {
        List<Health> status = new Stack(config()).status();

        assertThat(status).extracting(Health::component)
                .containsExactly("postgres", "kafka", "trino", "billing-core", "cdc", "flink", "dashboard", "maintenance",
                        "day-close");
        assertThat(status).noneMatch(Health::up);
        assertThat(Cli.run("status", config())).isEqualTo(1);
        assertThat(Cli.table(status)).startsWith("COMPONENT").contains("billing-core     DOWN  not running");
    }

    @Test
    void downOfAStoppedStackIsANoOp() {
        assertThat(Cli.run("down", config())).isZero();
    }

    @Test
    void tokenPrintsTheDemoTokenOrFailsWhenThereIsNone() throws Exception {
        assertThat(Cli.run("token", config())).isEqualTo(1);
        Bootstrap.writeSecret(config().demoTokenFile(), "mgl_oat_demo");
        assertThat(Cli.run("token", config())).isZero();
        assertThat(Bootstrap.demoToken(config())).contains("mgl_oat_demo");
    }

    @Test
    void thePlatformTokenIsGeneratedOnceAndReadableOnlyByItsOwner() throws Exception {
        String token = Bootstrap.platformToken(config());

        assertThat(token).startsWith("mgl_pt_").hasSizeGreaterThan(40);
        assertThat(Bootstrap.platformToken(config())).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config().platformTokenFile()))).isEqualTo("rw-------");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(Cli.run("launch", config())).isEqualTo(2);
    }
}
