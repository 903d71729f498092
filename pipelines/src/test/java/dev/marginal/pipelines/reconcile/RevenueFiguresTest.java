package dev.marginal.pipelines.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RevenueFiguresTest {

    @Test
    void minorUnitsBecomeMajorByEachCurrencysOwnExponent() {
        String units = RevenueFigures.unitsPerMajor("currency");
        assertThat(units).contains("WHEN 'jpy' THEN 1 ").contains("WHEN 'bhd' THEN 1000 ").endsWith("ELSE 100 END)")
                .doesNotContain("'usd'").doesNotContain("'eur'");
    }

    @Test
    void bothSidesAskForTheSameFourFiguresOverTheSameBookedDaysAndCutoff() {
        Scope scope = new Scope(Optional.of(UUID.fromString("5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b")),
                LocalDate.parse("2024-03-01"), LocalDate.parse("2024-03-31"), Instant.parse("2024-04-02T10:00:00Z"));
        String billing = RevenueFigures.billingSql(scope);
        String warehouse = RevenueFigures.warehouseSql(scope);
        for (String metric : new String[] {"'revenue_'", "'order_tax_'", "'fees_'", "'restated_'"}) {
            assertThat(billing).contains(metric);
            assertThat(warehouse).contains(metric);
        }
        assertThat(billing).contains("status IN ('paid', 'partially_refunded', 'refunded')").contains("account LIKE 'tax:%'").contains("2024-04-02 10:00:00.000000 UTC")
                .contains("organization_id = '5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b'::uuid");
        assertThat(warehouse).contains("booked_at < TIMESTAMP '2024-04-02 10:00:00.000000 UTC'")
                .contains("DATE '2024-04-01'");
    }
}
