package dev.marginal.billing.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * "Now" for one organisation: its test clock's frozen time when it has one, otherwise the service's
 * {@link Clock} (the wall clock in production, a pinned clock in unit tests). Every time the billing
 * rules stamp or compare against is asked of this, never of the wall clock directly, so a sandbox
 * organisation can live through a month in seconds while the others stay on real time.
 */
@Component
public class BillingClock {

    private final Clock clock;
    private final JdbcClient jdbc;

    public BillingClock(Clock clock, JdbcClient jdbc) {
        this.clock = clock;
        this.jdbc = jdbc;
    }

    public Instant now(UUID organizationId) {
        return testClock(organizationId).orElseGet(clock::instant);
    }

    /** The service's own time, for work that belongs to no organisation (the background sweep). */
    public Instant serviceTime() {
        return clock.instant();
    }

    Optional<Instant> testClock(UUID organizationId) {
        return jdbc.sql("SELECT frozen_time FROM test_clocks WHERE organization_id = :org")
                .param("org", organizationId).query(OffsetDateTime.class).optional().map(OffsetDateTime::toInstant);
    }
}
