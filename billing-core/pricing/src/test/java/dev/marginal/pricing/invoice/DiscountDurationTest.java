package dev.marginal.pricing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.price.Recurrence;

class DiscountDurationTest {

    private static final Instant JAN_31 = Instant.parse("2025-01-31T10:00:00Z");
    private static final Recurrence MONTHLY = new Recurrence(Recurrence.Interval.MONTH, 1);

    private static Instant period(int n) {
        return MONTHLY.period(JAN_31, n).start();
    }

    @Test
    void onceDiscountsTheFirstPaidPeriodOnly() {
        assertThat(DiscountDuration.ONCE.appliesTo(JAN_31, null, period(0))).isTrue();
        assertThat(DiscountDuration.ONCE.appliesTo(JAN_31, null, period(1))).isFalse();
    }

    @Test
    void foreverDiscountsEveryPeriod() {
        assertThat(DiscountDuration.FOREVER.appliesTo(JAN_31, null, period(36))).isTrue();
    }

    @Test
    void threeRepeatingMonthsAreTheFirstThreeMonthlyPeriods() {
        // 31 Jan, 28 Feb, 31 Mar start within three months of 31 Jan (until 30 Apr); 30 Apr does not
        assertThat(DiscountDuration.REPEATING.appliesTo(JAN_31, 3, period(2))).isTrue();
        assertThat(DiscountDuration.REPEATING.appliesTo(JAN_31, 3, period(3))).isFalse();
    }

    @Test
    void repeatingNeedsItsMonthsAndOnlyIt() {
        assertThatThrownBy(() -> DiscountDuration.REPEATING.appliesTo(JAN_31, null, JAN_31))
                .isInstanceOf(PricingInputException.class).hasMessageContaining("duration_in_months");
        assertThatThrownBy(() -> DiscountDuration.ONCE.appliesTo(JAN_31, 3, JAN_31))
                .isInstanceOf(PricingInputException.class);
    }
}
