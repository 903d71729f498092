package dev.marginal.pipelines.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaBacklogTest {

    private static final TopicPartition P0 = new TopicPartition("marginal.cdc.events", 0);
    private static final TopicPartition P1 = new TopicPartition("marginal.cdc.events", 1);

    @Test
    void lagIsWhatLiesBeyondTheCommittedOffsetOfEachPartition() {
        // (1 000 − 940) + (500 − 500) = 60
        assertThat(KafkaBacklog.lag(Map.of(P0, 1_000L, P1, 500L), Map.of(P0, 0L, P1, 0L), Map.of(P0, 940L, P1, 500L)))
                .isEqualTo(60);
    }

    @Test
    void aPartitionNeverCommittedCountsFromItsEarliestRetainedOffset() {
        // P1 has no commit: the job starts at the earliest offset 200, so 500 − 200 = 300 are to read; plus P0's 60.
        assertThat(KafkaBacklog.lag(Map.of(P0, 1_000L, P1, 500L), Map.of(P0, 0L, P1, 200L), Map.of(P0, 940L)))
                .isEqualTo(360);
    }

    @Test
    void aCommitAheadOfTheEndNeverMakesLagNegative() {
        // After a topic is recreated, a stale commit can lie beyond the new end.
        assertThat(KafkaBacklog.lag(Map.of(P0, 10L), Map.of(P0, 0L), Map.of(P0, 50L))).isZero();
    }

    @Test
    void aDeadLetterTopicHoldsWhatRetentionHasNotDeleted() {
        TopicPartition dlq = new TopicPartition("marginal.dlq.raw-events", 0);
        assertThat(KafkaBacklog.retained(Map.of(dlq, 12L), Map.of(dlq, 9L))).isEqualTo(3);
    }
}
