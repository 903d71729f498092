package dev.marginal.pipelines.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class ModelCostDeltasTest {

    static final String ACME = "5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b";

    static UsageCost call(String model, String at, long in, long out, String dollars) {
        Instant ts = Instant.parse(at);
        return new UsageCost(ACME, UUID.randomUUID().toString(), null, "acme-1", "chat", "openai", model,
                in, null, out, dollars == null ? null : new BigDecimal(dollars).setScale(12),
                dollars == null ? null : "usd", dollars == null ? "none" : "catalog", UsageCost.dayOf(ts), ts);
    }

    static OneInputStreamOperatorTestHarness<RowData, RowData> harness() throws Exception {
        OneInputStreamOperatorTestHarness<RowData, RowData> h = new OneInputStreamOperatorTestHarness<>(new ModelCostDeltas());
        h.open();
        return h;
    }

    static void send(OneInputStreamOperatorTestHarness<RowData, RowData> h, UsageCost... calls) throws Exception {
        for (UsageCost c : calls) {
            h.processElement(new StreamRecord<>(c.toRowData()));
        }
    }

    static List<String> emitted(OneInputStreamOperatorTestHarness<RowData, RowData> h) {
        List<String> rows = h.extractOutputValues().stream().map(ModelCostDeltasTest::describe).toList();
        h.getOutput().clear();
        return rows;
    }

    static String describe(RowData r) {
        return String.join(" ", r.getString(2).toString(), java.time.LocalDate.ofEpochDay(r.getInt(3)).toString(),
                String.valueOf(r.isNullAt(4) ? null : r.getString(4)), "in=" + r.getLong(5), "out=" + r.getLong(7),
                "cost=" + (r.isNullAt(8) ? null : r.getDecimal(8, 38, 12).toBigDecimal().toPlainString()), "events=" + r.getLong(9));
    }

    @Test
    void eachCheckpointAppendsTheSumsOfWhatItSawPerModelAndDay() throws Exception {
        try (var h = harness()) {
            send(h,
                    call("gpt-4o", "2024-05-01T10:00:00Z", 1000, 100, "0.003500000000"),
                    call("gpt-4o", "2024-05-01T23:59:59Z", 2000, 200, "0.007000000000"),
                    call("gpt-4o-mini", "2024-05-01T12:00:00Z", 500, 50, "0.000105000000"),
                    call("gpt-4o", "2024-05-02T00:00:00Z", 10, 1, "0.000035000000"));
            assertThat(emitted(h)).as("nothing before the barrier").isEmpty();

            h.prepareSnapshotPreBarrier(1);
            // 0.0035 + 0.0070 = 0.0105 on May 1st; midnight UTC starts May 2nd.
            assertThat(emitted(h)).containsExactlyInAnyOrder(
                    "gpt-4o 2024-05-01 usd in=3000 out=300 cost=0.010500000000 events=2",
                    "gpt-4o-mini 2024-05-01 usd in=500 out=50 cost=0.000105000000 events=1",
                    "gpt-4o 2024-05-02 usd in=10 out=1 cost=0.000035000000 events=1");

            // A late call for May 1st after the checkpoint: a new delta for May 1st, nothing re-sent.
            send(h, call("gpt-4o", "2024-05-01T11:00:00Z", 1, 1, "0.000012500000"));
            h.prepareSnapshotPreBarrier(2);
            assertThat(emitted(h)).containsExactly("gpt-4o 2024-05-01 usd in=1 out=1 cost=0.000012500000 events=1");

            h.prepareSnapshotPreBarrier(3);
            assertThat(emitted(h)).as("an idle checkpoint appends nothing").isEmpty();
        }
    }

    @Test
    void callsWithoutAModelAreNotModelCostsAndUnpricedCallsKeepTheirTokens() throws Exception {
        try (var h = harness()) {
            UsageCost signup = new UsageCost(ACME, UUID.randomUUID().toString(), null, "acme-1", "signup", null, null,
                    null, null, null, null, null, "none", UsageCost.dayOf(Instant.parse("2024-05-01T10:00:00Z")),
                    Instant.parse("2024-05-01T10:00:00Z"));
            send(h, signup, call("gpt-9", "2024-05-01T10:00:00Z", 40, 4, null), call("gpt-9", "2024-05-01T11:00:00Z", 60, 6, null));
            h.prepareSnapshotPreBarrier(1);
            assertThat(emitted(h)).containsExactly("gpt-9 2024-05-01 null in=100 out=10 cost=null events=2");
        }
    }

    @Test
    void theSumsStillInMemoryAreEmittedWhenTheInputEnds() throws Exception {
        try (var h = harness()) {
            send(h, call("gpt-4o", "2024-05-01T10:00:00Z", 1, 2, "0.000000000001"));
            h.endInput();
            h.getOneInputOperator().finish();
            assertThat(emitted(h)).containsExactly("gpt-4o 2024-05-01 usd in=1 out=2 cost=0.000000000001 events=1");
        }
    }
}
