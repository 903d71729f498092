package dev.marginal.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;

class SubscriptionStatusTest {

    /** The table written out by hand, so a change to the enum's table must be made here too. */
    private static final Map<String, Set<String>> EXPECTED = Map.of(
            "incomplete", Set.of("active", "trialing", "incomplete_expired", "canceled"),
            "incomplete_expired", Set.of(),
            "trialing", Set.of("active", "past_due", "canceled"),
            "active", Set.of("past_due", "canceled", "paused"),
            "past_due", Set.of("active", "unpaid", "canceled"),
            "unpaid", Set.of("active", "canceled"),
            "paused", Set.of("active", "canceled"),
            "canceled", Set.of());

    @Test
    void everyAllowedTransitionSucceedsAndEveryOtherIsAConflict() {
        int allowed = 0;
        int refused = 0;
        for (SubscriptionStatus from : SubscriptionStatus.values()) {
            for (SubscriptionStatus to : SubscriptionStatus.values()) {
                if (EXPECTED.get(from.wireName()).contains(to.wireName())) {
                    assertThat(from.transitionTo(to)).isEqualTo(to);
                    allowed++;
                } else {
                    assertThatThrownBy(() -> from.transitionTo(to)).isInstanceOf(ApiException.class)
                            .satisfies(e -> assertThat(((ApiException) e).type()).isEqualTo(ProblemType.ILLEGAL_TRANSITION))
                            .hasMessageContaining(from.wireName()).hasMessageContaining(to.wireName());
                    refused++;
                }
            }
        }
        assertThat(allowed).isEqualTo(17);
        assertThat(refused).isEqualTo(64 - 17);
    }

    @Test
    void canceledAndExpiredAreFinalAndNothingMovesToItself() {
        assertThat(SubscriptionStatus.CANCELED.allowedNext()).isEmpty();
        assertThat(SubscriptionStatus.INCOMPLETE_EXPIRED.allowedNext()).isEmpty();
        for (SubscriptionStatus status : SubscriptionStatus.values()) {
            assertThat(status.canBecome(status)).as(status.wireName()).isFalse();
        }
    }

    @Test
    void onlyRunningSubscriptionsCanBeSetToCancelAtPeriodEnd() {
        assertThat(Set.of(SubscriptionStatus.values()).stream().filter(SubscriptionStatus::isCancelable))
                .containsExactlyInAnyOrder(SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE,
                        SubscriptionStatus.PAST_DUE);
    }
}
