package dev.marginal.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class DunningScheduleTest {

    private static final Instant FEB_28 = Instant.parse("2025-02-28T10:00:00Z");

    @Test
    void retriesWaitThreeFiveAndSevenDaysAfterEachFailure() {
        DunningSchedule schedule = new DunningSchedule(List.of(3, 5, 7));
        assertThat(schedule.nextAttempt(1, FEB_28)).contains(Instant.parse("2025-03-03T10:00:00Z"));
        assertThat(schedule.nextAttempt(2, Instant.parse("2025-03-03T10:00:00Z")))
                .contains(Instant.parse("2025-03-08T10:00:00Z"));
        assertThat(schedule.nextAttempt(3, Instant.parse("2025-03-08T10:00:00Z")))
                .contains(Instant.parse("2025-03-15T10:00:00Z"));
        assertThat(schedule.nextAttempt(4, Instant.parse("2025-03-15T10:00:00Z"))).isEmpty();
        assertThat(schedule.attempts()).isEqualTo(4);
    }

    @Test
    void aScheduleNeedsWholePositiveDays() {
        assertThatThrownBy(() -> new DunningSchedule(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DunningSchedule(List.of(3, 0))).isInstanceOf(IllegalArgumentException.class);
    }
}
