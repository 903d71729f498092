package dev.marginal.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportRequestTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

    @Test
    void withoutArgumentsItReportsYesterdayForEveryOrganisation() throws Exception {
        assertThat(ReportRequest.parse(List.of(), TODAY))
                .isEqualTo(new ReportRequest(LocalDate.of(2026, 11, 20), Optional.empty(), false, Optional.empty()));
    }

    @Test
    void todayIsAllowedTomorrowIsNot() throws Exception {
        assertThat(ReportRequest.parse(List.of("--date", "2026-11-21", "--org", "acme"), TODAY).date()).isEqualTo(TODAY);
        assertThatThrownBy(() -> ReportRequest.parse(List.of("--date", "2026-11-22"), TODAY))
                .isInstanceOf(ReportRequest.Invalid.class).hasMessageContaining("2026-11-22 is in the future");
    }

    @Test
    void malformedDatesAndUnknownArgumentsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ReportRequest.parse(List.of("--date", "2026-13-01"), TODAY))
                .hasMessageContaining("--date must be a calendar date YYYY-MM-DD, not '2026-13-01'");
        assertThatThrownBy(() -> ReportRequest.parse(List.of("--date", "20/11/2026"), TODAY))
                .hasMessageContaining("not '20/11/2026'");
        assertThatThrownBy(() -> ReportRequest.parse(List.of("--date"), TODAY)).hasMessageContaining("--date needs a value");
        assertThatThrownBy(() -> ReportRequest.parse(List.of("--org", "--date", "2026-11-01"), TODAY))
                .hasMessageContaining("--org needs a value");
        assertThatThrownBy(() -> ReportRequest.parse(List.of("--when", "now"), TODAY)).hasMessageContaining("unknown argument '--when'");
        assertThatThrownBy(() -> ReportRequest.parse(List.of("--schedule", "--date", "2026-11-01"), TODAY))
                .hasMessageContaining("--schedule reports each night on the day before");
    }

    @Test
    void theMergeUpdatesEveryFigureAndKeysOnOrganisationDateAndCurrency() {
        String merge = DailyRevenueTable.mergeSql(2);
        assertThat(merge).contains("ON t.organization_id = s.organization_id AND t.report_date = s.report_date AND t.currency = s.currency")
                .contains("net_revenue = s.net_revenue", "mtd_margin = s.mtd_margin", "generated_at = s.generated_at");
        // 3 key columns and 19 amounts per row, two rows.
        assertThat(merge.chars().filter(c -> c == '?').count()).isEqualTo(44);
    }
}
