package dev.marginal.pipelines.reconcile;

import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/**
 * What to reconcile: UTC days {@code from}..{@code to} inclusive, one organisation or all. Values
 * are validated here so the two queries can spell them as SQL literals safely.
 */
public record Scope(Optional<UUID> organizationId, LocalDate from, LocalDate to) {

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
