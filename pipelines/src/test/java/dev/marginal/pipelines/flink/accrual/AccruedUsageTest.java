package dev.marginal.pipelines.flink.accrual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.flink.RawEvent;
import dev.marginal.pipelines.flink.billing.CdcChange;
import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.Invoice;
import dev.marginal.pricing.invoice.InvoiceLine;
import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.meter.MeterFilter;
import dev.marginal.pricing.meter.MeterQuantities;
import dev.marginal.pricing.meter.TimeInterval;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.GraduatedPrice;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.price.VolumePrice;
import dev.marginal.pricing.tax.TaxBehavior;
import dev.marginal.pricing.tax.TaxDecision;
import dev.marginal.pricing.tier.Tiers;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

/**
 * Ada Labs subscribes to Pro in March: a metered price on an LLM-token meter. Whatever order the
 * events and the catalog arrive in, the month's accrual rows sum to the metered line the pricing
 * engine's {@link Invoice} computes from the same events, to the cent.
 */
class AccruedUsageTest {

    static final String ACME = "5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b";
    static final Instant MARCH_1 = Instant.parse("2025-03-01T00:00:00Z");
    static final Instant APRIL_1 = Instant.parse("2025-04-01T00:00:00Z");
    static final Instant MAY_1 = Instant.parse("2025-05-01T00:00:00Z");

    // Graduated: the first 1,000 tokens free, then 0.5 ¢ each up to 10,000 plus a 2,000 ¢ flat fee, then 0.2 ¢.
    static final String GRADUATED = """
            {"type":"graduated","tiers":[{"bound":1000,"unit_amount":"0","flat_amount":"0"},\
            {"bound":10000,"unit_amount":"0.5","flat_amount":"2000"},{"bound":null,"unit_amount":"0.2"}]}""";
    static final Tiers ENGINE_TIERS = Tiers.builder().upTo("1000", "0").upTo("10000", "0.5", "2000").rest("0.2");

    private long lsn;
    private int eventNo;

    static KeyedTwoInputStreamOperatorTestHarness<String, RowData, RowData, RowData> harness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new AccruedUsage(Duration.ofMinutes(2))),
                e -> e.getString(1).toString(), c -> c.getString(2).toString(), Types.STRING);
    }

    private RowData change(String table, String id, String json) {
        return new CdcChange(table, id, ACME, "c", ++lsn, MARCH_1, json).toRowData();
    }

    private RowData customer() {
        return change("customers", "c1", """
                {"id":"c1","organization_id":"%s","external_id":"ada","email":"ada@example.com","deleted_at":null}"""
                .formatted(ACME));
    }

    private RowData meter() {
        return meter("m1");
    }

    private RowData meter(String id) {
        // jsonb columns arrive as JSON text, as Debezium sends them.
        return change("meters", id, """
                {"id":"%s","organization_id":"%s","name":"LLM tokens",\
                "filter":"{\\"clauses\\": [{\\"value\\": \\"completion\\", \\"operator\\": \\"eq\\", \\"property\\": \\"name\\"}], \\"conjunction\\": \\"and\\"}",\
                "aggregation":"{\\"func\\": \\"sum\\", \\"property\\": \\"metadata._llm.total_tokens\\"}"}""".formatted(id, ACME));
    }

    private RowData price(String id, String type, String tiersJson) {
        return price(id, type, tiersJson, "m1");
    }

    private RowData price(String id, String type, String tiersJson, String meterId) {
        return change("product_prices", id, """
                {"id":"%s","organization_id":"%s","product_id":"p1","amount_type":"metered_tiered","price_currency":"usd",\
                "price_amount":null,"unit_amount":null,"cap_amount":null,"meter_id":"%s","tiers":%s,"is_archived":false,\
                "created_at":"2025-02-01T00:00:00Z","modified_at":null}"""
                .formatted(id, ACME, meterId, tiersJson == null ? "null" : quoted(tiersJson.replace("graduated", type))));
    }

    /** Team's token price: 0.1 ¢ per token, created on 10 March. */
    private RowData teamPrice() {
        return change("product_prices", "team-tokens", """
                {"id":"team-tokens","organization_id":"%s","product_id":"p2","amount_type":"metered_unit","price_currency":"usd",\
                "price_amount":null,"unit_amount":"0.100000000000","cap_amount":null,"meter_id":"m1","tiers":null,\
                "is_archived":false,"created_at":"2025-03-10T00:00:00Z","modified_at":null}""".formatted(ACME));
    }

    private RowData fixedPrice() {
        return change("product_prices", "fixed", """
                {"id":"fixed","organization_id":"%s","product_id":"p1","amount_type":"fixed","price_currency":"usd",\
                "price_amount":2900,"unit_amount":null,"cap_amount":null,"meter_id":null,"tiers":null,"is_archived":false,\
                "created_at":"2025-02-01T00:00:00Z","modified_at":null}""".formatted(ACME));
    }

    private RowData subscription(String status, Instant start, Instant end) {
        return subscription(status, start, end, "p1", null);
    }

    private RowData subscription(String status, Instant start, Instant end, String product, Instant usageStart) {
        return change("subscriptions", "s1", """
                {"id":"s1","organization_id":"%s","customer_id":"c1","product_id":"%s","currency":"usd","status":"%s",\
                "current_period_start":"%s","current_period_end":"%s","usage_period_start":%s,\
                "created_at":"2025-03-01T00:00:00Z"}"""
                .formatted(ACME, product, status, start, end, usageStart == null ? "null" : "\"" + usageStart + "\""));
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\"", "\\\"") + "\"";
    }

    private RowData completion(String at, long tokens) {
        return event("completion", at, tokens, null, "ada");
    }

    private RowData event(String name, String at, long tokens, String customerId, String externalId) {
        Instant t = Instant.parse(at);
        String metadata = "{\"_llm\": {\"vendor\": \"openai\", \"model\": \"gpt-4o\", \"total_tokens\": " + tokens + "}}";
        return new RawEvent("e" + (++eventNo), ACME, customerId, externalId, null, name, t, metadata, "user", t, "c", ++lsn, t, null)
                .toRowData();
    }

    /** The accrual rows emitted so far, as (price, period start, quantity, amount). */
    static List<Row> rows(KeyedTwoInputStreamOperatorTestHarness<String, RowData, RowData, RowData> h) {
        return h.extractOutputValues().stream().map(r -> new Row(r.getString(3).toString(), r.getString(7).toString(),
                r.getTimestamp(5, 6).toInstant(), r.getDecimal(11, 38, 12).toBigDecimal(), r.getDecimal(12, 38, 12).toBigDecimal()))
                .toList();
    }

    record Row(String priceId, String eventId, Instant periodStart, BigDecimal quantity, BigDecimal amount) {
    }

    static BigDecimal sum(List<Row> rows, java.util.function.Function<Row, BigDecimal> field) {
        return rows.stream().map(field).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** What billing-core invoices for the period: the meter over [start, end) by the engine, one line priced by the engine. */
    static Money invoicedLine(Price price, Instant start, Instant end, List<dev.marginal.pricing.meter.MeterEvent> events) {
        MeterQuantities meter = new MeterQuantities(new MeterFilter.Clause("name", MeterFilter.Operator.EQ, "completion"),
                new Aggregation(Aggregation.Function.SUM, "_llm.total_tokens"), start, end.minusNanos(1), TimeInterval.YEAR,
                ZoneOffset.UTC);
        events.stream().filter(e -> e.timestamp().isBefore(end)).forEach(meter::add);
        Invoice invoice = Invoice.compute(Money.currency("usd"),
                List.of(InvoiceLine.priced("Pro — LLM tokens", new ServicePeriod(start, end), price, meter.total(), "token")),
                null, TaxBehavior.EXCLUSIVE, TaxDecision.notCollecting("none"));
        return invoice.lines().get(0).line().amount();
    }

    static dev.marginal.pricing.meter.MeterEvent meterEvent(String name, String at, long tokens) {
        return new dev.marginal.pricing.meter.MeterEvent(name, "user", Instant.parse(at),
                Map.of("_llm", Map.of("total_tokens", BigDecimal.valueOf(tokens))));
    }

    @Test
    void aMonthsAccrualIsTheInvoicesMeteredLineToTheCent() throws Exception {
        try (var h = harness()) {
            h.open();
            for (RowData row : List.of(customer(), meter(), fixedPrice(), price("tokens", "graduated", GRADUATED),
                    subscription("active", MARCH_1, APRIL_1))) {
                h.processElement2(new StreamRecord<>(row));
            }
            long[] tokens = {800, 700, 4_000, 6_000, 3_333};
            List<dev.marginal.pricing.meter.MeterEvent> sent = new ArrayList<>();
            for (int i = 0; i < tokens.length; i++) {
                String at = "2025-03-" + (10 + i) + "T12:00:00Z";
                h.processElement1(new StreamRecord<>(completion(at, tokens[i])));
                sent.add(meterEvent("completion", at, tokens[i]));
            }
            // Not this meter's (another event name), and another customer's: nothing accrues.
            h.processElement1(new StreamRecord<>(event("embedding", "2025-03-20T00:00:00Z", 9_999, null, "ada")));
            h.processElement1(new StreamRecord<>(event("completion", "2025-03-20T00:00:00Z", 9_999, "c2", null)));

            List<Row> rows = rows(h);
            // 800 + 700 + 4,000 + 6,000 + 3,333 = 14,833 tokens: 1,000 × 0 + (9,000 × 0.5 + 2,000) + 4,833 × 0.2
            // = 0 + 6,500 + 966.6 = 7,466.6 ¢ → 7,467 ¢ = $74.67.
            assertThat(rows).hasSize(5);
            assertThat(sum(rows, Row::quantity)).isEqualByComparingTo("14833");
            assertThat(sum(rows, Row::amount)).isEqualByComparingTo("74.67");
            // The first 800 tokens are free; the next 700 cross into the second tier with its flat fee:
            // 500 × 0.5 + 2,000 = 2,250 ¢.
            assertThat(rows.get(0).amount()).isEqualByComparingTo("0");
            assertThat(rows.get(1).amount()).isEqualByComparingTo("22.50");

            GraduatedPrice engine = new GraduatedPrice(Money.currency("usd"), ENGINE_TIERS);
            assertThat(sum(rows, Row::amount)).isEqualByComparingTo(invoicedLine(engine, MARCH_1, APRIL_1, sent).toMajor());
        }
    }

    @Test
    void aVolumeTierCrossedMakesAnEventsAmountNegativeAndThePeriodStillSumsToTheLine() throws Exception {
        try (var h = harness()) {
            h.open();
            for (RowData row : List.of(customer(), meter(), price("volume", "volume", GRADUATED),
                    subscription("active", MARCH_1, APRIL_1))) {
                h.processElement2(new StreamRecord<>(row));
            }
            h.processElement1(new StreamRecord<>(completion("2025-03-02T00:00:00Z", 10_000)));
            h.processElement1(new StreamRecord<>(completion("2025-03-03T00:00:00Z", 1)));

            List<Row> rows = rows(h);
            // 10,000 tokens: 10,000 × 0.5 + 2,000 = 7,000 ¢; 10,001: 10,001 × 0.2 = 2,000.2 → 2,000 ¢, so −5,000 ¢.
            assertThat(rows).extracting(Row::amount).usingElementComparator(BigDecimal::compareTo)
                    .containsExactly(new BigDecimal("70.00"), new BigDecimal("-50.00"));
            VolumePrice engine = new VolumePrice(Money.currency("usd"), ENGINE_TIERS);
            assertThat(sum(rows, Row::amount)).isEqualByComparingTo(invoicedLine(engine, MARCH_1, APRIL_1,
                    List.of(meterEvent("completion", "2025-03-02T00:00:00Z", 10_000),
                            meterEvent("completion", "2025-03-03T00:00:00Z", 1))).toMajor());
        }
    }

    @Test
    void eventsThatArriveBeforeTheirCustomerAndSubscriptionWaitForThem() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(new StreamRecord<>(completion("2025-03-02T00:00:00Z", 2_000)));
            h.processElement2(new StreamRecord<>(meter()));
            h.processElement2(new StreamRecord<>(price("tokens", "graduated", GRADUATED)));
            h.processElement2(new StreamRecord<>(customer()));
            assertThat(rows(h)).isEmpty();

            h.processElement2(new StreamRecord<>(subscription("active", MARCH_1, APRIL_1)));

            // 2,000 tokens: 1,000 × 0.5 + 2,000 = 2,500 ¢.
            assertThat(rows(h)).singleElement().extracting(Row::amount).isEqualTo(new BigDecimal("25.000000000000"));
        }
    }

    @Test
    void aTrialsUsageIsFreeAndARenewalOpensANewPeriodWhileLateEventsStillFindTheirs() throws Exception {
        try (var h = harness()) {
            h.open();
            for (RowData row : List.of(customer(), meter(), price("tokens", "graduated", GRADUATED),
                    subscription("trialing", Instant.parse("2025-02-15T00:00:00Z"), MARCH_1))) {
                h.processElement2(new StreamRecord<>(row));
            }
            h.processElement1(new StreamRecord<>(completion("2025-02-20T00:00:00Z", 5_000)));
            h.processElement2(new StreamRecord<>(subscription("active", MARCH_1, APRIL_1)));
            h.processElement1(new StreamRecord<>(completion("2025-03-05T00:00:00Z", 2_000)));
            // April's first event arrives before the renewal that opens April: it waits for it.
            h.processElement1(new StreamRecord<>(completion("2025-04-02T00:00:00Z", 1_500)));
            h.processElement2(new StreamRecord<>(subscription("active", APRIL_1, MAY_1)));
            // A March event delivered after the renewal still lands in March.
            h.processElement1(new StreamRecord<>(completion("2025-03-31T23:59:59Z", 1_000)));

            List<Row> rows = rows(h);
            assertThat(rows).extracting(Row::eventId).doesNotContain("e1");
            assertThat(sum(rows.stream().filter(r -> r.periodStart().equals(MARCH_1)).toList(), Row::amount))
                    .as("March: 3,000 tokens = 2,000 × 0.5 + 2,000 = 3,000 ¢").isEqualByComparingTo("30.00");
            assertThat(sum(rows.stream().filter(r -> r.periodStart().equals(APRIL_1)).toList(), Row::amount))
                    .as("April: 1,500 tokens = 500 × 0.5 + 2,000 = 2,250 ¢").isEqualByComparingTo("22.50");
        }
    }

    @Test
    void theRunningQuantitySurvivesARestoreSoTiersStayExact() throws Exception {
        OperatorSubtaskState checkpoint;
        List<Row> before;
        try (var h = harness()) {
            h.open();
            for (RowData row : List.of(customer(), meter(), price("tokens", "graduated", GRADUATED),
                    subscription("active", MARCH_1, APRIL_1))) {
                h.processElement2(new StreamRecord<>(row));
            }
            h.processElement1(new StreamRecord<>(completion("2025-03-02T00:00:00Z", 9_000)));
            checkpoint = h.snapshot(1L, 1L);
            before = rows(h);
        }
        try (var h = harness()) {
            h.initializeState(checkpoint);
            h.open();
            h.processElement1(new StreamRecord<>(completion("2025-03-03T00:00:00Z", 2_000)));

            // 9,000 then 11,000 tokens: 8,000 × 0.5 + 2,000 = 6,000 ¢, then 6,500 + 1,000 × 0.2 = 6,700 ¢: +700 ¢.
            assertThat(before).singleElement().extracting(Row::amount).isEqualTo(new BigDecimal("60.000000000000"));
            assertThat(rows(h)).singleElement().extracting(Row::amount).isEqualTo(new BigDecimal("7.000000000000"));
        }
    }

    @Test
    void anEventWaitingForOneOfItsMetersIsCountedOnceInEveryLineWhenItArrives() throws Exception {
        try (var h = harness()) {
            h.open();
            for (RowData row : List.of(customer(), meter("m1"), price("tokens", "graduated", GRADUATED, "m1"),
                    price("tokens-again", "graduated", GRADUATED, "m2"), subscription("active", MARCH_1, APRIL_1))) {
                h.processElement2(new StreamRecord<>(row));
            }
            h.processElement1(new StreamRecord<>(completion("2025-03-02T00:00:00Z", 2_000)));
            assertThat(rows(h)).as("m2 is not known yet: the event waits, nothing moves").isEmpty();

            h.processElement2(new StreamRecord<>(meter("m2")));
            h.processElement1(new StreamRecord<>(completion("2025-03-03T00:00:00Z", 1)));

            // Each line: 2,000 tokens = 2,500 ¢, then 2,001 = 2,500.5 → 2,500 ¢ (half-even): +0.
            assertThat(rows(h)).extracting(Row::priceId).containsExactlyInAnyOrder("tokens", "tokens-again", "tokens", "tokens-again");
            assertThat(sum(rows(h), Row::amount)).isEqualByComparingTo("50.00");
            assertThat(sum(rows(h), Row::quantity)).isEqualByComparingTo("4002");
        }
    }

    @Test
    void aPlanChangeClosesTheOldPricesWindowAndTheNewPricesMeterFromIt() throws Exception {
        Instant change = Instant.parse("2025-03-15T00:00:00Z");
        try (var h = harness()) {
            h.open();
            for (RowData row : List.of(customer(), meter(), price("tokens", "graduated", GRADUATED), teamPrice(),
                    subscription("active", MARCH_1, APRIL_1))) {
                h.processElement2(new StreamRecord<>(row));
            }
            h.processElement1(new StreamRecord<>(completion("2025-03-05T00:00:00Z", 2_000)));
            // Upgraded to Team on 15 March: Pro's usage is billed up to the change, Team's metered from it.
            h.processElement2(new StreamRecord<>(subscription("active", MARCH_1, APRIL_1, "p2", change)));
            h.processElement1(new StreamRecord<>(completion("2025-03-20T00:00:00Z", 3_000)));
            // A Pro-time call delivered after the change still belongs to Pro's window.
            h.processElement1(new StreamRecord<>(completion("2025-03-14T23:00:00Z", 1_000)));

            List<Row> rows = rows(h);
            List<Row> pro = rows.stream().filter(r -> r.priceId().equals("tokens")).toList();
            List<Row> team = rows.stream().filter(r -> r.priceId().equals("team-tokens")).toList();
            // Pro, 1–15 March: 3,000 tokens = 2,000 × 0.5 + 2,000 = 3,000 ¢.
            assertThat(pro).extracting(Row::periodStart).containsOnly(MARCH_1);
            assertThat(sum(pro, Row::amount)).isEqualByComparingTo("30.00");
            // Team, 15 March on: 3,000 tokens × 0.1 ¢ = 300 ¢.
            assertThat(team).extracting(Row::periodStart).containsOnly(change);
            assertThat(sum(team, Row::amount)).isEqualByComparingTo("3.00");
        }
    }
}
