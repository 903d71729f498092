package dev.marginal.billing.problem;

import java.util.List;

/**
 * One invalid input, shaped like FastAPI's (and so Polar's) validation items:
 * {@code {"loc": ["body", "events", 3, "name"], "msg": "Field required", "type": "missing"}}.
 */
public record ValidationError(List<Object> loc, String msg, String type) {

    public ValidationError {
        loc = List.copyOf(loc);
    }

    /** {@code events[3].metadata._cost.amount}: the location as a reader would write it. */
    public String path() {
        StringBuilder path = new StringBuilder();
        for (Object part : loc) {
            if (part instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else if (!"body".equals(part) || !path.isEmpty()) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(part);
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
