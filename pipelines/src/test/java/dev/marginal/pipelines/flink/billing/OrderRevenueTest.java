package dev.marginal.pipelines.flink.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.flink.DeadLetter;
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

/** {@link OrderRevenue}'s state per order: kept while the order may still change, and bounded. */
class OrderRevenueTest {

    static final String ACME = "5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b";
    static final Duration RETENTION = Duration.ofDays(180);
    static final long DAY = Duration.ofDays(1).toMillis();

    static KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new OrderRevenue(RETENTION)),
                OrderRevenue::orderKey, Types.STRING);
    }

    static RowData order(String id, String status, long lsn) {
        return new CdcChange("orders", id, ACME, "c", lsn, Instant.parse("2024-03-01T00:00:00Z"), """
                {"id":"%s","organization_id":"%s","customer_id":"c1","product_id":"p1","subscription_id":"s1",\
                "status":"%s","currency":"usd","discount_amount":0,"net_amount":2900,"tax_amount":0,\
                "total_amount":2900,"created_at":"2024-03-01T00:00:00Z"}""".formatted(id, ACME, status)).toRowData();
    }

    static RowData item(String id, String orderId, long lsn) {
        // $29.00 for 1–2 March: two facts of $14.50.
        return new CdcChange("order_items", id, null, "c", lsn, Instant.parse("2024-03-01T00:00:00Z"), """
                {"id":"%s","order_id":"%s","kind":"fixed","amount":2900,"tax_amount":0,\
                "start_timestamp":"2024-03-01T00:00:00Z","end_timestamp":"2024-03-03T00:00:00Z"}"""
                .formatted(id, orderId)).toRowData();
    }

    static RowData refund(String id, String orderId, long lsn) {
        return new CdcChange("transactions", id, ACME, "c", lsn, Instant.parse("2024-04-01T00:00:00Z"), """
                {"id":"%s","organization_id":"%s","order_id":"%s","type":"refund","account":"merchant:%s",\
                "amount":-1000,"currency":"usd","created_at":"2024-04-01T00:00:00Z"}"""
                .formatted(id, ACME, orderId, ACME)).toRowData();
    }

    static List<String> facts(KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> h) {
        return h.extractOutputValues().stream()
                .map(r -> r.getString(5) + " " + r.getString(6)) // source_id, fact_type
                .toList();
    }

    /** item_id and amount of each {@code subscription_lines} row. */
    static List<String> subscriptionLines(KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> h) {
        var lines = h.getSideOutput(OrderRevenue.SUBSCRIPTION_LINES);
        return lines == null ? List.of() : lines.stream()
                .map(r -> r.getValue().getString(4) + " " + r.getValue().getDecimal(8, 38, 12).toBigDecimal().toPlainString())
                .toList();
    }

    static List<DeadLetter> deadLetters(KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> h) {
        var letters = h.getSideOutput(OrderRevenue.DEAD_LETTERS);
        return letters == null ? List.of() : letters.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aSettledOrdersStateIsClearedOnceTheRetentionHasPassedWithoutAChange() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(item("i1", "o1", 1)));
            h.processElement(new StreamRecord<>(order("o1", "paid", 2)));
            assertThat(facts(h)).containsExactly("i1 subscription", "i1 subscription");
            assertThat(subscriptionLines(h)).containsExactly("i1 29.000000000000");
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

            // A refund 30 days later still finds the order, and re-arms its retention.
            h.setProcessingTime(30 * DAY);
            h.processElement(new StreamRecord<>(refund("t1", "o1", 3)));
            assertThat(facts(h)).containsExactly("i1 subscription", "i1 subscription", "t1 refund");
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

            h.setProcessingTime(30 * DAY + RETENTION.toMillis() - 1);
            assertThat(h.numKeyedStateEntries()).isPositive();

            h.setProcessingTime(30 * DAY + RETENTION.toMillis());
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(deadLetters(h)).as("a settled order has nothing waiting").isEmpty();
        }
    }

    @Test
    void whatStillWaitsWhenTheStateExpiresGoesToTheDeadLetterTopicNotNowhere() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(order("o2", "pending", 1)));
            h.processElement(new StreamRecord<>(item("i2", "o2", 2)));
            // A ledger row whose order this job never saw (or whose state expired long ago).
            h.processElement(new StreamRecord<>(refund("t9", "o9", 3)));

            h.setProcessingTime(RETENTION.toMillis());

            assertThat(facts(h)).isEmpty();
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(deadLetters(h)).extracting(DeadLetter::key).containsExactlyInAnyOrder("i2", "t9");
            assertThat(deadLetters(h)).filteredOn(d -> d.key().equals("i2")).singleElement()
                    .extracting(DeadLetter::reason).asString().contains("order o2 is still pending", "180 days");
            assertThat(deadLetters(h)).filteredOn(d -> d.key().equals("t9")).singleElement()
                    .extracting(DeadLetter::reason).asString().contains("order o9 was never seen");
        }
    }

    @Test
    void theRetentionTimerSurvivesARestoreAndNothingIsBookedTwice() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var before = harness()) {
            before.open();
            before.setProcessingTime(0);
            before.processElement(new StreamRecord<>(order("o1", "paid", 1)));
            before.processElement(new StreamRecord<>(item("i1", "o1", 2)));
            checkpoint = before.snapshot(1L, 1L);
        }
        try (var after = harness()) {
            after.initializeState(checkpoint);
            after.open();
            after.setProcessingTime(DAY);
            after.processElement(new StreamRecord<>(item("i1", "o1", 2))); // replayed after the restore
            assertThat(facts(after)).isEmpty();
            assertThat(subscriptionLines(after)).isEmpty();
            assertThat(after.numProcessingTimeTimers()).isEqualTo(1);

            after.setProcessingTime(DAY + RETENTION.toMillis());
            assertThat(after.numKeyedStateEntries()).isZero();
        }
    }
}
