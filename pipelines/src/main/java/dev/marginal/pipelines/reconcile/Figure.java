package dev.marginal.pipelines.reconcile;

import java.time.LocalDate;

/**
 * One number both sides must agree on: a metric of one organisation on one UTC day, e.g.
 * {@code events} or {@code cost_usd} (major units).
 */
public record Figure(String organizationId, LocalDate day, String metric) implements Comparable<Figure> {

    @Override
    public int compareTo(Figure other) {
        int byOrg = organizationId.compareTo(other.organizationId);
        if (byOrg != 0) {
            return byOrg;
        }
        int byDay = day.compareTo(other.day);
        return byDay != 0 ? byDay : metric.compareTo(other.metric);
    }
}
