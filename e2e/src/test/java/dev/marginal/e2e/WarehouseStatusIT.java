package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/marginal status} shows the maintenance process, the age of the newest committed row
 * and, per table, files and snapshot age.
 */
class WarehouseStatusIT {

    private final SharedStack stack = SharedStack.get();

    @Test
    void statusListsEveryTableWithItsDataFilesAndOldestSnapshot() {
        SharedStack.CommandResult status = stack.marginal(Duration.ofMinutes(1), "status");

        assertThat(status.output()).containsPattern("(?m)^maintenance\\s+up\\b");
        // The warehouse's freshness: the Flink job's age of the newest committed row.
        assertThat(status.output()).containsPattern(
                "(?m)^flink\\s+up\\s+.*(newest committed row \\d+\\.\\d s old|no rows committed yet)$");
        assertThat(status.output()).contains("DATA FILES", "OLDEST SNAPSHOT");
        for (String table : new String[] {"raw.events", "analytics.usage_costs", "analytics.model_cost_deltas", "access.analysts"}) {
            assertThat(status.output()).as(status.output()).containsPattern("(?m)^" + table.replace(".", "\\.") + "\\s+\\d+\\s+\\d+\\s+\\S+$");
        }
    }
}
