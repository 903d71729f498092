package dev.marginal.billing.subscription;

import java.time.Instant;
import java.util.UUID;

/**
 * A past-due subscription's collection state: the declined order being retried, since when it is
 * past due, how many attempts that order has had, and when the next one is due (null once the
 * retries are exhausted). {@link #NONE} when nothing is owed.
 */
record Dunning(UUID orderId, Instant pastDueAt, int attempts, Instant nextAttemptAt) {

    static final Dunning NONE = new Dunning(null, null, 0, null);

    /** The first charge of {@code orderId} was declined at {@code at}. */
    static Dunning started(UUID orderId, Instant at, Instant nextAttemptAt) {
        return new Dunning(orderId, at, 1, nextAttemptAt);
    }

    boolean isActive() {
        return orderId != null;
    }

    /** One more attempt failed; {@code next} is null when there will be no other. */
    Dunning failedAgain(Instant next) {
        return new Dunning(orderId, pastDueAt, attempts + 1, next);
    }
}
