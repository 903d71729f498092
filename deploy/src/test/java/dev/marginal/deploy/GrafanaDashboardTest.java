package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** deploy/grafana/marginal.json reads only the SLO recording rules and catalogued series. */
class GrafanaDashboardTest {

    private static JsonNode dashboard() throws IOException {
        return DeployFiles.JSON.readTree(DeployFiles.deploy().resolve("grafana/marginal.json").toFile());
    }

    @Test
    void everyQueryReadsARecordingRuleOrACataloguedSeries() throws IOException {
        Set<String> known = new TreeSet<>(SloRulesTest.recordedNames());
        known.addAll(SloRulesTest.catalogue().keySet());
        int queries = 0;
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).as("panel %s", panel.path("title").asText()).isNotBlank();
                assertThat(known).as("series of panel '%s': %s", panel.path("title").asText(), expr)
                        .containsAll(PromQl.seriesNames(expr));
                queries++;
            }
        }
        assertThat(queries).isGreaterThan(10);
    }

    @Test
    void everySloHasAPanel() throws IOException {
        String all = dashboard().path("panels").toString();
        for (String prefix : new String[] {"marginal_ingest:availability_errors", "marginal_ingest:latency_slow",
                "marginal_billing_api:availability_errors", "marginal_billing_api:latency_slow", "marginal_warehouse:stale",
                "marginal_reconcile:drift_minor_units"}) {
            assertThat(all).as("a panel for %s", prefix).contains(prefix);
        }
    }

    @Test
    void panelsHaveUniqueIdsAPrometheusDatasourceAndDoNotOverlap() throws IOException {
        Set<Integer> ids = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (JsonNode panel : dashboard().path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique id %s", panel.path("id")).isTrue();
            assertThat(panel.path("datasource").path("type").asText()).isEqualTo("prometheus");
            JsonNode g = panel.path("gridPos");
            assertThat(g.path("x").asInt() + g.path("w").asInt()).as("width of %s", panel.path("title")).isLessThanOrEqualTo(24);
            for (int x = g.path("x").asInt(); x < g.path("x").asInt() + g.path("w").asInt(); x++) {
                for (int y = g.path("y").asInt(); y < g.path("y").asInt() + g.path("h").asInt(); y++) {
                    assertThat(cells.add(x + "," + y)).as("panel '%s' overlaps another", panel.path("title").asText()).isTrue();
                }
            }
        }
        assertThat(dashboard().path("uid").asText()).isEqualTo("marginal-slo");
    }
}
