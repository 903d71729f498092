package dev.marginal.billing.clock;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;
import dev.marginal.billing.problem.Violations;
import dev.marginal.billing.subscription.RenewalScheduler;

/**
 * Stripe's test clocks, one per organisation: create it at a frozen time, then advance it. Advancing
 * runs, for that organisation only and in the order they fell due, every renewal, payment retry and
 * dispute decision up to the new time, as the background sweep does for everyone on real time. A
 * clock never goes back; advancing to the time it already shows only finishes work a failed advance
 * left (each batch commits on its own), so a retried advance is harmless.
 */
@Service
public class TestClocks {

    public record TestClock(UUID organizationId, OffsetDateTime frozenTime, OffsetDateTime createdAt,
                            OffsetDateTime modifiedAt) {
    }

    /** What an advance moved: Stripe answers with the clock; the counts show the sweep's work. */
    public record Advanced(UUID organizationId, OffsetDateTime frozenTime, OffsetDateTime createdAt,
                           OffsetDateTime modifiedAt, int subscriptionsMoved, int disputesDecided) {
    }

    private final JdbcClient jdbc;
    private final RenewalScheduler sweeps;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final boolean enabled;

    public TestClocks(JdbcClient jdbc, RenewalScheduler sweeps, AuditLog audit,
                      PlatformTransactionManager transactionManager,
                      @Value("${marginal.test-clocks.enabled:false}") boolean enabled) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.jdbc = jdbc;
        this.sweeps = sweeps;
        this.audit = audit;
        this.enabled = enabled;
    }

    public Optional<TestClock> find(UUID organizationId) {
        return select(organizationId, "");
    }

    /** The organisation's clock, in UTC; {@code lock} is a row-lock clause or empty. */
    private Optional<TestClock> select(UUID organizationId, String lock) {
        return jdbc.sql("SELECT * FROM test_clocks WHERE organization_id = :org " + lock).param("org", organizationId)
                .query((rs, n) -> new TestClock(organizationId,
                        rs.getObject("frozen_time", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                        rs.getObject("created_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                        utcOrNull(rs.getObject("modified_at", OffsetDateTime.class))))
                .optional();
    }

    /**
     * Puts the organisation on a clock frozen at {@code frozenTime}. Refused once it has
     * subscriptions: they were stamped on real time, and moving them to another time line would
     * reorder their history (Stripe likewise attaches a clock only to a new customer).
     */
    @Transactional
    public TestClock create(UUID organizationId, OffsetDateTime frozenTime) {
        requireEnabled();
        // Serialises creators for one organisation: the row lock on the organisation itself.
        jdbc.sql("SELECT 1 FROM organizations WHERE id = :org FOR UPDATE").param("org", organizationId)
                .query(Integer.class).single();
        if (find(organizationId).isPresent()) {
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION,
                    "This organization already has a test clock; advance it with POST /v1/test_helpers/test_clock/advance.");
        }
        boolean hasSubscriptions = jdbc.sql("SELECT EXISTS (SELECT 1 FROM subscriptions WHERE organization_id = :org)")
                .param("org", organizationId).query(Boolean.class).single();
        if (hasSubscriptions) {
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION,
                    "This organization already has subscriptions on real time; a test clock must be created first.");
        }
        jdbc.sql("INSERT INTO test_clocks (organization_id, frozen_time) VALUES (:org, :at)")
                .param("org", organizationId).param("at", frozenTime).update();
        TestClock created = find(organizationId).orElseThrow();
        audit.record(organizationId, "test_clock.created", "test_clock", organizationId, null, created);
        return created;
    }

    /** Moves the clock to {@code frozenTime} and sweeps the organisation up to it. */
    public Advanced advance(UUID organizationId, OffsetDateTime frozenTime) {
        requireEnabled();
        TestClock clock = transactions.execute(status -> move(organizationId, frozenTime));
        Instant now = clock.frozenTime().toInstant();
        int moved = sweeps.sweep(now, organizationId);
        int decided = sweeps.resolveDisputes(now, organizationId);
        return new Advanced(organizationId, clock.frozenTime(), clock.createdAt(), clock.modifiedAt(), moved, decided);
    }

    /** One transaction: the clock row locked, moved and audited; the sweeps after it commit batch by batch. */
    private TestClock move(UUID organizationId, OffsetDateTime frozenTime) {
        TestClock before = select(organizationId, "FOR UPDATE")
                .orElseThrow(() -> ApiException.notFound("This organization has no test clock."));
        if (frozenTime.isBefore(before.frozenTime())) {
            Violations violations = new Violations();
            violations.add(List.of("body", "frozen_time"), "A test clock only moves forward: frozen_time must not be "
                    + "before " + before.frozenTime() + ".", "value_error");
            violations.throwIfAny();
        }
        jdbc.sql("UPDATE test_clocks SET frozen_time = :at, modified_at = now() WHERE organization_id = :org")
                .param("org", organizationId).param("at", frozenTime).update();
        TestClock after = find(organizationId).orElseThrow();
        audit.record(organizationId, "test_clock.advanced", "test_clock", organizationId, before, after);
        return after;
    }

    private void requireEnabled() {
        if (!enabled) {
            throw new ApiException(ProblemType.TEST_CLOCKS_DISABLED,
                    "Test clocks are disabled on this deployment; a sandbox enables them with MARGINAL_TEST_CLOCKS=true.");
        }
    }

    private static OffsetDateTime utcOrNull(OffsetDateTime at) {
        return at == null ? null : at.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
