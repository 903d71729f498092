package dev.marginal.pipelines.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);
    private static final Figure EVENTS = new Figure("org-a", MONDAY, "events");
    private static final Figure COST = new Figure("org-a", MONDAY, "cost_usd");

    @Test
    void equalFiguresInAnotherSpellingAgree() {
        assertThat(Reconciliation.compare(
                Map.of(EVENTS, new BigDecimal("900"), COST, new BigDecimal("0.10")),
                Map.of(EVENTS, new BigDecimal("900.000000000000"), COST, new BigDecimal("0.1")))).isEmpty();
    }

    @Test
    void aDoubleCountedEventIsADifference() {
        assertThat(Reconciliation.compare(Map.of(EVENTS, new BigDecimal("900")), Map.of(EVENTS, new BigDecimal("901"))))
                .singleElement()
                .satisfies(d -> assertThat(d.delta()).isEqualByComparingTo("1"));
    }

    @Test
    void aFigureMissingOnOneSideCountsAsZeroThere() {
        // A whole day lost in the warehouse, and a cost the warehouse invented.
        assertThat(Reconciliation.compare(Map.of(EVENTS, new BigDecimal("5")), Map.of(COST, new BigDecimal("0.000000000001"))))
                .extracting(d -> d.figure().metric() + " " + d.billing().toPlainString() + " " + d.warehouse().toPlainString())
                .containsExactly("cost_usd 0 0.000000000001", "events 5 0");
    }

    @Test
    void optionsAreValidatedBeforeAnythingIsRead() {
        assertThatThrownBy(() -> Reconcile.Options.parse(new String[] {"--from", "2026-13-01"}))
                .hasMessageContaining("bad value for --from");
        assertThatThrownBy(() -> Reconcile.Options.parse(new String[] {"--org", "acme"}))
                .hasMessageContaining("bad value for --org");
        assertThatThrownBy(() -> Reconcile.Options.parse(new String[] {"--from", "2026-11-24", "--to", "2026-11-01"}))
                .hasMessageContaining("before");
        assertThat(Reconcile.Options.parse(new String[] {"--from", "2026-11-01", "--to", "2026-11-24"}).scope().to())
                .isEqualTo(LocalDate.of(2026, 11, 24));
    }

    @Test
    void bothSidesScopeTheSameDaysAndOrganisation() {
        Scope scope = Reconcile.Options.parse(new String[] {"--org", "01a20f31-b228-76a9-bd20-90232cdc0aad",
                "--from", "2026-11-01", "--to", "2026-11-24"}).scope();
        assertThat(BillingSide.sql(scope)).contains("DATE '2026-11-01'", "DATE '2026-11-25'", "'01a20f31-b228-76a9-bd20-90232cdc0aad'::uuid");
        assertThat(WarehouseSide.sql(scope)).contains("DATE '2026-11-01'", "DATE '2026-11-25'", "'01a20f31-b228-76a9-bd20-90232cdc0aad'");
    }
}
