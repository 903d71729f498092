package dev.marginal.pipelines.reconcile;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;

/**
 * What to reconcile: UTC days {@code from}..{@code to} inclusive, one organisation or all, and
 * only events billing-core accepted before {@code cutoff}, so traffic arriving while reconcile runs
 * is not counted on one side only. Values are validated here so the two queries can spell them as
 * SQL literals safely.
 */
public record Scope(Optional<UUID> organizationId, LocalDate from, LocalDate to, Instant cutoff) {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    public Scope(Optional<UUID> organizationId, LocalDate from, LocalDate to) {
        this(organizationId, from, to, Instant.now());
    }

    Scope withCutoff(Instant newCutoff) {
        return new Scope(organizationId, from, to, newCutoff);
    }

    /** The cutoff as an SQL timestamp literal in UTC, valid in PostgreSQL and Trino. */
    String cutoffLiteral() {
        return "TIMESTAMP '" + TIMESTAMP.format(cutoff) + " UTC'";
    }

    /**
     * The first day whose rollup ({@code analytics.model_costs}) is compared: rollup deltas carry
     * no ingest time, so only days closed before the cutoff's day can be held to it.
     */
    String openDayLiteral() {
        return "DATE '" + cutoff.atZone(ZoneOffset.UTC).toLocalDate() + "'";
    }

    public Scope {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
    }

    String fromLiteral() {
        return "DATE '" + from + "'";
    }

    /** The first day after the range, for half-open timestamp ranges. */
    String endLiteral() {
        return "DATE '" + to.plusDays(1) + "'";
    }

    String organizationLiteral() {
        return organizationId.map(id -> "'" + id + "'").orElseThrow();
    }
}
