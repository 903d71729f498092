package dev.marginal.billing.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.marginal.billing.dispute.Disputes;

/**
 * Sweeps due renewals and payment retries, then disputes whose response window closed, inside the
 * service, every {@code marginal.renewal.interval}
 * (default one minute) after the previous sweep ended, by the service's {@link Clock}. Turned off with
 * {@code marginal.renewal.enabled=false} (tests move the clock and call {@link #sweep} themselves).
 * Several instances may sweep at once: each batch locks its rows and skips others' (see
 * {@link Subscriptions#renew}), and an order is unique per subscription period.
 */
@Component
@EnableScheduling
public class RenewalScheduler implements SchedulingConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(RenewalScheduler.class);

    private final Subscriptions subscriptions;
    private final Disputes disputes;
    private final Clock clock;
    private final boolean enabled;
    private final Duration interval;

    public RenewalScheduler(Subscriptions subscriptions, Disputes disputes, Clock clock,
                            @Value("${marginal.renewal.enabled:true}") boolean enabled,
                            @Value("${marginal.renewal.interval:PT1M}") Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("marginal.renewal.interval must be positive, got " + interval);
        }
        this.subscriptions = subscriptions;
        this.disputes = disputes;
        this.clock = clock;
        this.enabled = enabled;
        this.interval = interval;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (enabled) {
            registrar.addFixedDelayTask(this::sweepQuietly, interval);
        }
    }

    /**
     * Renews in batches (one transaction each) until nothing is due at the clock's current time.
     * Returns how many subscriptions moved.
     */
    public int sweep() {
        return sweep(clock.instant(), null);
    }

    /**
     * Renews in batches until nothing is due at {@code now}: for every organisation on real time
     * ({@code testClockOrganization} null), or for the one whose test clock is being advanced.
     */
    public int sweep(Instant now, UUID testClockOrganization) {
        int total = 0;
        int moved;
        do {
            moved = subscriptions.renew(now, testClockOrganization);
            total += moved;
        } while (moved == Subscriptions.batchSize());
        return total;
    }

    /**
     * Decides every dispute whose response window closed by the clock's current time, in batches
     * (a decided dispute is no longer due, so this ends). Returns how many were decided.
     */
    public int resolveDisputes() {
        return resolveDisputes(clock.instant(), null);
    }

    /** As {@link #resolveDisputes()} at {@code now}, for real-time organisations or one test clock's. */
    public int resolveDisputes(Instant now, UUID testClockOrganization) {
        int total = 0;
        int decided;
        do {
            decided = disputes.resolveDue(now, testClockOrganization);
            total += decided;
        } while (decided > 0);
        return total;
    }

    private void sweepQuietly() {
        try {
            int moved = sweep();
            if (moved > 0) {
                LOG.info("renewal sweep moved {} subscriptions", moved);
            }
        } catch (RuntimeException e) {
            // The batch rolled back whole; the next sweep tries again.
            LOG.error("renewal sweep failed", e);
        }
        try {
            int decided = resolveDisputes();
            if (decided > 0) {
                LOG.info("dispute sweep decided {} disputes", decided);
            }
        } catch (RuntimeException e) {
            LOG.error("dispute sweep failed", e);
        }
    }
}
