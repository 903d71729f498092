package dev.marginal.warehouse.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenancePolicyTest {

    @Test
    void bundledPolicyCompactsEveryTenMinutesAndKeepsAnHourOfSnapshots() {
        MaintenancePolicy policy = MaintenancePolicy.load(Optional.empty(), new Properties());

        assertThat(policy.interval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.snapshotRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.orphanRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.schemas()).contains("raw", "analytics", "reports");
    }

    @Test
    void homeFileThenSystemPropertiesOverrideTheDefaults(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("maintenance.properties"), "interval=30s\nexpire-snapshots.retention=2h\n");
        Properties system = new Properties();
        system.setProperty("marginal.maintenance.interval", "PT5M");

        MaintenancePolicy policy = MaintenancePolicy.load(Optional.of(home), system);

        assertThat(policy.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.snapshotRetention()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void orphanRemovalRunsInTheFirstRoundAndEveryNthAfter() {
        MaintenancePolicy policy = new MaintenancePolicy(Duration.ofMinutes(10), "128MB", Duration.ofHours(1),
                Duration.ofHours(1), 6, List.of("raw"), List.of());

        assertThat(List.of(0L, 1L, 5L, 6L, 12L).stream().map(policy::removesOrphansInRound).toList())
                .containsExactly(true, false, false, true, true);
    }

    @Test
    void snapshotsAreNotExpiredWhileTheNewestFlinkCommitIsOlderThanHalfTheRetention() {
        Duration hour = Duration.ofHours(1);
        assertThat(TableMaintenance.expiryWouldHideFlinkCheckpoint(Optional.of(Duration.ofSeconds(20)), hour)).isFalse();
        assertThat(TableMaintenance.expiryWouldHideFlinkCheckpoint(Optional.of(Duration.ofMinutes(31)), hour)).isTrue();
        assertThat(TableMaintenance.expiryWouldHideFlinkCheckpoint(Optional.empty(), hour)).isFalse(); // never written by Flink
    }

    @Test
    void dayClosedTablesAreOptimizedOnTheCurrentDayOnly() {
        MaintenancePolicy policy = MaintenancePolicy.load(Optional.empty(), new Properties());
        TableMaintenance maintenance = new TableMaintenance(() -> null, policy);
        LocalDate today = LocalDate.parse("2026-09-01");

        assertThat(maintenance.optimize(new TableName("analytics", "usage_cost_deltas"), today))
                .isEqualTo("optimize(file_size_threshold => '128MB') WHERE day >= DATE '2026-09-01'");
        assertThat(maintenance.optimize(new TableName("analytics", "revenue_facts"), today)).endsWith("WHERE day >= DATE '2026-09-01'");
        assertThat(maintenance.optimize(new TableName("raw", "events"), today)).isEqualTo("optimize(file_size_threshold => '128MB')");
    }

    @Test
    void retentionReachesTrinoInWholeSeconds() {
        assertThat(MaintenancePolicy.trinoDuration(Duration.ofHours(1))).isEqualTo("3600s");
    }

    @Test
    void schemaNamesThatAreNotPlainIdentifiersAreRefused() {
        assertThatThrownBy(() -> new MaintenancePolicy(Duration.ofMinutes(1), "128MB", Duration.ofHours(1),
                Duration.ofHours(1), 1, List.of("raw'; DROP"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
