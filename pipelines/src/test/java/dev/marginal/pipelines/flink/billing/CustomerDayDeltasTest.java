package dev.marginal.pipelines.flink.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.flink.UsageCost;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class CustomerDayDeltasTest {

    static final String ACME = "5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b";

    static RowData fact(String customer, String type, String day, String revenue, String tax, String fees) {
        return CustomerDayDeltas.ofRevenueFact(new RevenueFact(ACME, customer, "prod", "sub", "ord", UUID.randomUUID().toString(),
                type, type, LocalDate.parse(day), Instant.parse(day + "T09:00:00Z"), "usd", new BigDecimal(revenue),
                new BigDecimal(tax), new BigDecimal(fees)).toRowData());
    }

    static UsageCost usage(String customer, String externalId, String at, String dollars) {
        Instant ts = Instant.parse(at);
        return new UsageCost(ACME, UUID.randomUUID().toString(), customer, externalId, "chat", "openai", "gpt-4o", 10L, null, 1L,
                dollars == null ? null : new BigDecimal(dollars).setScale(12), dollars == null ? null : "usd",
                dollars == null ? "none" : "event", UsageCost.dayOf(ts), ts);
    }

    static RowData call(String customer, String externalId, String at, String dollars) {
        return CustomerDayDeltas.ofUsage(usage(customer, externalId, at, dollars), customer);
    }

    static List<String> checkpoint(OneInputStreamOperatorTestHarness<RowData, RowData> h, long id, RowData... rows) throws Exception {
        for (RowData r : rows) {
            h.processElement(new StreamRecord<>(r));
        }
        h.prepareSnapshotPreBarrier(id);
        List<String> out = h.extractOutputValues().stream().map(CustomerDayDeltasTest::describe).toList();
        h.getOutput().clear();
        return out;
    }

    static String describe(RowData r) {
        return String.join(" ", r.isNullAt(1) ? "-" : r.getString(1).toString(), r.isNullAt(2) ? "-" : r.getString(2).toString(),
                LocalDate.ofEpochDay(r.getInt(3)).toString(), r.isNullAt(4) ? "-" : r.getString(4).toString(),
                "revenue=" + money(r, 5), "subscription=" + money(r, 6), "usage=" + money(r, 7), "cost=" + money(r, 8),
                "fees=" + money(r, 9), "events=" + r.getLong(10));
    }

    static String money(RowData r, int pos) {
        return r.getDecimal(pos, UsageCost.PRECISION, UsageCost.SCALE).toBigDecimal().stripTrailingZeros().toPlainString();
    }

    @Test
    void revenueAndCostOfACustomerDaySumIntoOneRowPerCheckpoint() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<RowData, RowData>(new CustomerDayDeltas())) {
            h.open();
            assertThat(checkpoint(h, 1,
                    fact("cus_1", RevenueFact.SUBSCRIPTION, "2024-05-01", "1.000000000001", "0.19", "0"),
                    fact("cus_1", RevenueFact.USAGE, "2024-05-01", "12.35", "2.35", "0"),
                    fact("cus_1", "refund", "2024-05-01", "-5.00", "-0.95", "0"),
                    fact("cus_1", RevenueFact.FEE, "2024-05-01", "0", "0", "0.70"),
                    fact("cus_1", RevenueFact.SUBSCRIPTION, "2024-05-02", "0.999999999999", "0.19", "0"),
                    call("cus_1", "acme-1", "2024-05-01T10:00:00Z", "0.0035"),
                    call("cus_1", "acme-1", "2024-05-01T23:59:59.999Z", "0.0070"),
                    // Sent under an external id no customer holds (yet): its own row, matched by the view.
                    call(null, "acme-new", "2024-05-01T12:00:00Z", "0.25"),
                    // No cost (not an LLM call): an event, no cost.
                    call("cus_1", "acme-1", "2024-05-02T00:00:00Z", null)))
                    // Tax is not revenue; a refund lowers revenue but is neither subscription nor usage revenue.
                    .containsExactlyInAnyOrder(
                            "cus_1 - 2024-05-01 usd revenue=8.350000000001 subscription=1.000000000001 usage=12.35 cost=0.0105 fees=0.7 events=2",
                            "cus_1 - 2024-05-02 usd revenue=0.999999999999 subscription=0.999999999999 usage=0 cost=0 fees=0 events=0",
                            "- acme-new 2024-05-01 usd revenue=0 subscription=0 usage=0 cost=0.25 fees=0 events=1",
                            "cus_1 - 2024-05-02 - revenue=0 subscription=0 usage=0 cost=0 fees=0 events=1");

            // A late refund for May 1st after the checkpoint: a new delta for that day, nothing re-sent.
            assertThat(checkpoint(h, 2, fact("cus_1", "refund", "2024-05-01", "-1.00", "-0.19", "0")))
                    .containsExactly("cus_1 - 2024-05-01 usd revenue=-1 subscription=0 usage=0 cost=0 fees=0 events=0");
            assertThat(checkpoint(h, 3)).as("an idle checkpoint appends nothing").isEmpty();
        }
    }

    @Test
    void usageIsNamedByTheCustomerHoldingItsExternalIdOnceThatCustomerIsKnown() throws Exception {
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<String, RowData, RowData, RowData>(
                new KeyedCoProcessOperator<>(new CustomerDayUsage()), u -> u.getString(0).toString(), c -> c.getString(2).toString(),
                Types.STRING)) {
            h.open();
            h.processElement1(new StreamRecord<>(usage(null, "acme-1", "2024-05-01T10:00:00Z", "0.01").toRowData()));
            h.processElement2(new StreamRecord<>(new CdcChange("customers", "cus_1", ACME, "c", 1L, Instant.parse("2024-05-01T11:00:00Z"),
                    "{\"id\":\"cus_1\",\"organization_id\":\"" + ACME + "\",\"external_id\":\"acme-1\"}").toRowData()));
            h.processElement1(new StreamRecord<>(usage(null, "acme-1", "2024-05-01T12:00:00Z", "0.02").toRowData()));
            h.processElement1(new StreamRecord<>(usage("cus_2", "acme-2", "2024-05-01T12:00:00Z", "0.03").toRowData()));
            h.processElement1(new StreamRecord<>(usage(null, "acme-3", "2024-05-01T12:00:00Z", "0.04").toRowData()));
            assertThat(h.extractOutputValues().stream().map(CustomerDayDeltasTest::describe).toList()).containsExactly(
                    // Before its customer was known: under the external id; the view matches it.
                    "- acme-1 2024-05-01 usd revenue=0 subscription=0 usage=0 cost=0.01 fees=0 events=1",
                    "cus_1 - 2024-05-01 usd revenue=0 subscription=0 usage=0 cost=0.02 fees=0 events=1",
                    "cus_2 - 2024-05-01 usd revenue=0 subscription=0 usage=0 cost=0.03 fees=0 events=1",
                    "- acme-3 2024-05-01 usd revenue=0 subscription=0 usage=0 cost=0.04 fees=0 events=1");
        }
    }
}
