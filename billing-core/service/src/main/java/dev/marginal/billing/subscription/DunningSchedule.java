package dev.marginal.billing.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When a declined order is tried again: a fixed schedule of waits after each failure, Stripe's
 * retry schedule without its machine-learned timing (default 3, 5 and 7 days:
 * {@code marginal.dunning.retry-days=3,5,7}). After the last retry fails there is none: the
 * subscription becomes unpaid.
 */
@Component
public class DunningSchedule {

    private final List<Duration> waits;

    public DunningSchedule(@Value("${marginal.dunning.retry-days:3,5,7}") List<Integer> retryDays) {
        if (retryDays.isEmpty() || retryDays.stream().anyMatch(d -> d == null || d < 1)) {
            throw new IllegalArgumentException("marginal.dunning.retry-days must be one or more whole days ≥ 1, got " + retryDays);
        }
        this.waits = retryDays.stream().map(Duration::ofDays).toList();
    }

    /**
     * @param failedAttempts how many times the order has been declined so far (the first charge included)
     * @param lastFailure    when the last of them was declined
     * @return when to try again, or empty when the retries are exhausted
     */
    public Optional<Instant> nextAttempt(int failedAttempts, Instant lastFailure) {
        if (failedAttempts < 1 || failedAttempts > waits.size()) {
            return Optional.empty();
        }
        return Optional.of(lastFailure.plus(waits.get(failedAttempts - 1)));
    }

    /** Attempts in all: the first charge and each retry. */
    public int attempts() {
        return waits.size() + 1;
    }
}
