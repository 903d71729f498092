package dev.marginal.pipelines.flink;

/** One record as read from a {@code marginal.cdc.<table>} topic, before any parsing. */
public record CdcMessage(String topic, int partition, long offset, String key, String value) {

    public DeadLetter reject(String reason) {
        return new DeadLetter(topic, partition, offset, key, value, reason);
    }
}
