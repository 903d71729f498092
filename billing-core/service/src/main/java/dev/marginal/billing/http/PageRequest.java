package dev.marginal.billing.http;

/** Polar's {@code page} (from 1) and {@code limit} (1 to 100) query parameters. */
public record PageRequest(int page, int limit) {

    public static final int MAX_LIMIT = 100;

    public long offset() {
        return (long) (page - 1) * limit;
    }
}
