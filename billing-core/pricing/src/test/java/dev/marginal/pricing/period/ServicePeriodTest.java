package dev.marginal.pricing.period;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import dev.marginal.pricing.price.Recurrence;
import org.junit.jupiter.api.Test;

class ServicePeriodTest {

    @Test
    void aMonthEndAnchorStaysAtTheMonthEnd() {
        // Anchored Jan 31: periods end Feb 28, Mar 31, Apr 30 — not Feb 28, Mar 28, Apr 28.
        Instant jan31 = Instant.parse("2025-01-31T10:00:00Z");
        assertThat(Recurrence.MONTHLY.period(jan31, 0).end()).isEqualTo("2025-02-28T10:00:00Z");
        assertThat(Recurrence.MONTHLY.period(jan31, 1))
                .isEqualTo(new ServicePeriod(Instant.parse("2025-02-28T10:00:00Z"), Instant.parse("2025-03-31T10:00:00Z")));
        assertThat(Recurrence.MONTHLY.period(jan31, 2).end()).isEqualTo("2025-04-30T10:00:00Z");
        assertThat(Recurrence.YEARLY.period(Instant.parse("2024-02-29T00:00:00Z"), 0).end())
                .isEqualTo("2025-02-28T00:00:00Z");
    }

    @Test
    void aPeriodHasWholeSecondsAndEndsAfterItStarts() {
        ServicePeriod period = new ServicePeriod(Instant.parse("2025-03-01T00:00:00.900Z"),
                Instant.parse("2025-03-01T00:01:00.100Z"));
        assertThat(period.seconds()).isEqualTo(60);
        assertThatThrownBy(() -> new ServicePeriod(Instant.parse("2025-03-01T00:00:00Z"),
                Instant.parse("2025-03-01T00:00:00.5Z")))
                .hasMessageStartingWith("period.end: must be after period.start");
    }
}
