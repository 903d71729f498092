package dev.marginal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PanelTimesTest {

    @Test
    void aPanelIsNamedByItsConstantAndAnythingElseIsOther() {
        assertThat(PanelTimes.panel(Panels.DAILY)).isEqualTo("DAILY");
        assertThat(PanelTimes.panel(Panels.TOP_CUSTOMERS)).isEqualTo("TOP_CUSTOMERS");
        assertThat(PanelTimes.panel("SELECT 1")).isEqualTo("other");
    }

    @Test
    void bucketsAreCumulativeWithCountAndSum() {
        PanelTimes times = new PanelTimes();
        times.record("DAILY", 200_000_000L);   // 0.2 s
        times.record("DAILY", 3_000_000_000L); // 3 s

        assertThat(times.prometheus())
                .contains("# TYPE marginal_dashboard_query_seconds histogram")
                .contains("marginal_dashboard_query_seconds_bucket{panel=\"DAILY\",le=\"0.1\"} 0")
                .contains("marginal_dashboard_query_seconds_bucket{panel=\"DAILY\",le=\"0.25\"} 1")
                .contains("marginal_dashboard_query_seconds_bucket{panel=\"DAILY\",le=\"2.5\"} 1")
                .contains("marginal_dashboard_query_seconds_bucket{panel=\"DAILY\",le=\"5.0\"} 2")
                .contains("marginal_dashboard_query_seconds_bucket{panel=\"DAILY\",le=\"+Inf\"} 2")
                .contains("marginal_dashboard_query_seconds_count{panel=\"DAILY\"} 2")
                .contains("marginal_dashboard_query_seconds_sum{panel=\"DAILY\"} 3.2");
    }
}
