package dev.marginal.billing.dispute;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;

/**
 * Polar's dispute statuses and the moves between them. An early warning (no money moved yet)
 * either escalates to a chargeback that needs a response or is prevented (by a refund). A
 * chargeback is under review once answered, and the network's decision makes it won or lost;
 * the merchant may also accept it, which makes it lost. Won, lost and prevented are final.
 */
public enum DisputeStatus {
    PREVENTED, EARLY_WARNING, NEEDS_RESPONSE, UNDER_REVIEW, LOST, WON;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DisputeStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    public Set<DisputeStatus> next() {
        return switch (this) {
            case EARLY_WARNING -> EnumSet.of(NEEDS_RESPONSE, PREVENTED);
            case NEEDS_RESPONSE -> EnumSet.of(UNDER_REVIEW, WON, LOST);
            case UNDER_REVIEW -> EnumSet.of(WON, LOST);
            case PREVENTED, LOST, WON -> EnumSet.noneOf(DisputeStatus.class);
        };
    }

    /** Polar: resolved means decided, won or lost. */
    public boolean isResolved() {
        return this == WON || this == LOST;
    }

    /** Polar: closed means nothing more will happen: prevented, won or lost. */
    public boolean isClosed() {
        return next().isEmpty();
    }

    /** Open chargebacks: money has been withdrawn and the outcome is not known yet. */
    public boolean isOpen() {
        return this == NEEDS_RESPONSE || this == UNDER_REVIEW;
    }

    /** @throws ApiException 409 {@code DisputeNotOpenError} when {@code to} is not reachable from here */
    public DisputeStatus transitionTo(DisputeStatus to) {
        if (!next().contains(to)) {
            throw new ApiException(ProblemType.DISPUTE_NOT_OPEN, "A " + wireName() + " dispute cannot become "
                    + to.wireName() + ".");
        }
        return to;
    }
}
