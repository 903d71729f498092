package dev.marginal.pricing;

import java.util.Objects;

/**
 * Input the pricing engine refuses: a negative amount, a tier gap, a zero package size…
 *
 * <p>It names the offending {@link #field()} in the API's snake_case spelling (e.g.
 * {@code tiers[2].up_to}) and says {@link #reason() why}, so the service can answer a 422
 * problem+json that points at the field without parsing the message.
 */
public final class PricingInputException extends IllegalArgumentException {

    private final String field;
    private final String reason;

    public PricingInputException(String field, String reason) {
        super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(reason, "reason"));
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
