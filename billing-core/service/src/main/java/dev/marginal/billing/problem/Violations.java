package dev.marginal.billing.problem;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every validation error of a request, so a client fixes a batch in one round trip,
 * and turns them into one 422 whose {@code detail} names the first bad field.
 */
public final class Violations {

    /** Enough to fix a systematic mistake; bounded so a 10,000-event batch cannot echo megabytes. */
    public static final int MAX_REPORTED = 100;

    private final List<ValidationError> errors = new ArrayList<>();
    private int total;

    public void add(List<Object> loc, String msg, String type) {
        total++;
        if (errors.size() < MAX_REPORTED) {
            errors.add(new ValidationError(loc, msg, type));
        }
    }

    /** The recorded errors (at most {@value #MAX_REPORTED}), to re-home them under an enclosing location. */
    public List<ValidationError> errors() {
        return List.copyOf(errors);
    }

    public boolean isEmpty() {
        return total == 0;
    }

    public int count() {
        return total;
    }

    public void throwIfAny() {
        if (total == 0) {
            return;
        }
        ValidationError first = errors.get(0);
        String detail = first.path() + ": " + first.msg();
        if (total > 1) {
            detail += " (and " + (total - 1) + " more error" + (total > 2 ? "s" : "")
                    + (total > errors.size() ? "; the first " + errors.size() + " are listed" : "") + ")";
        }
        throw new ApiException(ProblemType.VALIDATION_ERROR, detail, errors);
    }
}
