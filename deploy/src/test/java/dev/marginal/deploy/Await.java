package dev.marginal.deploy;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls until something holds. The deadline only keeps a broken run from hanging; nothing is timed. */
final class Await {

    private Await() {
    }

    static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            sleep(Duration.ofMillis(250));
        }
    }

    static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
