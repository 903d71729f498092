package dev.marginal.pipelines.flink;

/** A record a job could not use, with why; written to {@code marginal.dlq.<job>}. */
public record DeadLetter(String topic, int partition, long offset, String key, String value, String reason) {
}
