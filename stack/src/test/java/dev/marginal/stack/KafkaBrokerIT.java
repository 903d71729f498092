package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

    @TempDir
    Path home;

    @Test
    void startsInKraftModeCreatesTopicsAndStopsCleanly() throws Exception {
        long pid;
        try (KafkaBroker broker = KafkaBroker.startForTests(home, 29092, 29093)) {
            pid = Long.parseLong(Files.readString(home.resolve("run/kafka.pid")).trim());
            broker.createTopics("marginal.cdc.events", "marginal.dlq.raw-events");
            broker.createTopics("marginal.cdc.events"); // idempotent
            try (Admin admin = broker.admin()) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                        .contains("marginal.cdc.events", "marginal.dlq.raw-events");
            }
            assertThat(broker.health().up()).isTrue();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Readiness.portFree(29092)).isTrue();
        assertThat(Readiness.portFree(29093)).isTrue();
    }
}
