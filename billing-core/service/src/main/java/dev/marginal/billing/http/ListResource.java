package dev.marginal.billing.http;

import java.util.List;

/** Polar's list envelope: {@code {"items": [...], "pagination": {"total_count": n, "max_page": m}}}. */
public record ListResource<T>(List<T> items, Pagination pagination) {

    public record Pagination(long totalCount, long maxPage) {
    }

    /** {@code max_page} is {@code ceil(total / limit)}, as Polar computes it (0 for an empty list). */
    public static <T> ListResource<T> of(List<T> items, long totalCount, PageRequest page) {
        long maxPage = (totalCount + page.limit() - 1) / page.limit();
        return new ListResource<>(List.copyOf(items), new Pagination(totalCount, maxPage));
    }
}
