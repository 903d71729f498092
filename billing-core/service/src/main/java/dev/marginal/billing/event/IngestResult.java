package dev.marginal.billing.event;

/** Polar's {@code EventsIngestResponse}: {@code {"inserted": n, "duplicates": m}}. */
public record IngestResult(int inserted, int duplicates) {
}
