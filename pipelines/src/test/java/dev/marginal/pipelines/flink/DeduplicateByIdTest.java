package dev.marginal.pipelines.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class DeduplicateByIdTest {

    static RowData event(String id, String name) {
        Instant t = Instant.parse("2024-05-01T10:00:00.123456Z");
        return new RawEvent(id, "5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b", null, "acme-42", null, name, t, "{}",
                "user", t, "c", 1L, t, null).toRowData();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateById(Duration.ofDays(7))), RawEvent::idOf, Types.STRING);
    }

    static List<String> namesOut(KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> h) {
        return h.extractOutputValues().stream().map(r -> r.getString(5).toString()).toList();
    }

    @Test
    void aRedeliveredEventIsWrittenOnce() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(event("a", "first delivery")));
            h.processElement(new StreamRecord<>(event("b", "other event")));
            h.processElement(new StreamRecord<>(event("a", "redelivery")));

            assertThat(namesOut(h)).containsExactly("first delivery", "other event");
        }
    }

    @Test
    void idsSeenBeforeARestartAreStillDroppedAfterRestoringTheCheckpoint() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var before = harness()) {
            before.open();
            before.processElement(new StreamRecord<>(event("a", "before crash")));
            checkpoint = before.snapshot(1L, 1L);
        }
        try (var after = harness()) {
            after.initializeState(checkpoint);
            after.open();
            after.processElement(new StreamRecord<>(event("a", "redelivered after restart")));
            after.processElement(new StreamRecord<>(event("c", "new after restart")));

            assertThat(namesOut(after)).containsExactly("new after restart");
        }
    }

    @Test
    void anIdIsForgottenOnlyAfterTheRetention() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateById(Duration.ofMillis(100))), RawEvent::idOf, Types.STRING);
        try (h) {
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement(new StreamRecord<>(event("a", "first")));
            h.setStateTtlProcessingTime(99);
            h.processElement(new StreamRecord<>(event("a", "within retention")));
            h.setStateTtlProcessingTime(101);
            h.processElement(new StreamRecord<>(event("a", "after retention")));

            assertThat(namesOut(h)).containsExactly("first", "after retention");
        }
    }
}
