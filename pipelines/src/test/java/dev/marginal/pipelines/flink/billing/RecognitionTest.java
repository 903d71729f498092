package dev.marginal.pipelines.flink.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class RecognitionTest {

    static final String ACME = "5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b";

    static BillingRows.Order order(String status, long net, long tax, long discount, String createdAt) {
        return new BillingRows.Order("o1", ACME, "c1", "p1", "s1", status, "usd", discount, net, tax, net + tax,
                Instant.parse(createdAt));
    }

    static BigDecimal usd(String dollars) {
        return new BigDecimal(dollars).setScale(12);
    }

    @Test
    void aMonthlyFeeIsRecognisedDayByDayAndTheDaysSumToTheLineExactly() {
        // $29.00 for 1–31 March (31 whole days): 2900 / 31 = 93.548…, so 93¢ a day and the 17 cents
        // left over (2900 − 31 × 93) go one each to the first 17 days (equal remainders: earlier first).
        BillingRows.Item line = new BillingRows.Item("i1", "o1", "fixed", 2900, 0,
                Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-04-01T00:00:00Z"));
        List<RevenueFact> days = Recognition.ofItem(order("paid", 2900, 0, 0, "2024-03-01T00:00:00Z"), line);

        assertThat(days).hasSize(31);
        assertThat(days).extracting(RevenueFact::factType).containsOnly(RevenueFact.SUBSCRIPTION);
        assertThat(days.get(0).day()).isEqualTo(LocalDate.parse("2024-03-01"));
        assertThat(days.get(30).day()).isEqualTo(LocalDate.parse("2024-03-31"));
        assertThat(days.subList(0, 17)).extracting(RevenueFact::revenue).containsOnly(usd("0.94"));
        assertThat(days.subList(17, 31)).extracting(RevenueFact::revenue).containsOnly(usd("0.93"));
        assertThat(days.stream().map(RevenueFact::revenue).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("29.00");
    }

    @Test
    void aPeriodStartingMidDayWeighsItsFirstAndLastDaysBySeconds() {
        // 12:00 on 1 March to 12:00 on 3 March: half a day, a day, half a day of $10.00 → 250, 500, 250.
        BillingRows.Item line = new BillingRows.Item("i1", "o1", "fixed", 1000, 200,
                Instant.parse("2024-03-01T12:00:00Z"), Instant.parse("2024-03-03T12:00:00Z"));
        List<RevenueFact> days = Recognition.ofItem(order("paid", 1000, 200, 0, "2024-03-01T12:00:00Z"), line);

        assertThat(days).extracting(RevenueFact::revenue).containsExactly(usd("2.50"), usd("5.00"), usd("2.50"));
        assertThat(days).extracting(RevenueFact::tax).containsExactly(usd("0.50"), usd("1.00"), usd("0.50"));
        assertThat(days).extracting(RevenueFact::bookedAt).containsOnly(Instant.parse("2024-03-01T12:00:00Z"));
    }

    @Test
    void aSubscriptionFeeLineIsOneSubscriptionLineOfWhatItsDaysSumTo() {
        // 1000 net (1200 less a 200 discount share) over two days and a half, with tax inside: the line is its net.
        BillingRows.Item line = new BillingRows.Item("i1", "o1", "fixed", 1200, 200, 1000,
                Instant.parse("2024-03-01T12:00:00Z"), Instant.parse("2024-03-03T12:00:00Z"));
        BillingRows.Order order = order("paid", 1000, 200, 200, "2024-03-01T12:00:00Z");
        RowData row = Recognition.subscriptionLine(order, line).orElseThrow();

        BigDecimal days = Recognition.ofItem(order, line).stream().map(RevenueFact::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(row.getDecimal(8, 38, 12).toBigDecimal()).isEqualTo(days).isEqualTo(usd("10.00"));
        assertThat(List.of(row.getString(0).toString(), row.getString(1).toString(), row.getString(2).toString(),
                row.getString(3).toString(), row.getString(4).toString(), row.getString(5).toString()))
                .containsExactly(ACME, "c1", "s1", "o1", "i1", "usd");
        assertThat(row.getTimestamp(6, 6).toInstant()).isEqualTo(line.start());
        assertThat(row.getTimestamp(7, 6).toInstant()).isEqualTo(line.end());

        // Not recurring: a proration, a fee without a period, a usage line; and a line of no money.
        BillingRows.Item proration = new BillingRows.Item("i2", "o1", "proration", 500, 0, line.start(), line.end());
        BillingRows.Item noPeriod = new BillingRows.Item("i3", "o1", "fixed", 500, 0, null, null);
        BillingRows.Item usage = new BillingRows.Item("i4", "o1", "metered", 500, 0, line.start(), line.end());
        BillingRows.Item free = new BillingRows.Item("i5", "o1", "fixed", 0, 0, line.start(), line.end());
        for (BillingRows.Item other : List.of(proration, noPeriod, usage, free)) {
            assertThat(Recognition.subscriptionLine(order, other)).as(other.id()).isEmpty();
        }
    }

    @Test
    void aProrationCreditIsNegativeRevenueSpreadTheSameWay() {
        BillingRows.Item credit = new BillingRows.Item("i2", "o1", "proration", -301, 0,
                Instant.parse("2024-03-10T00:00:00Z"), Instant.parse("2024-03-13T00:00:00Z"));
        List<RevenueFact> days = Recognition.ofItem(order("paid", 0, 0, 0, "2024-03-10T00:00:00Z"), credit);

        // 301 over three equal days: 100 each, the remaining cent to the first.
        assertThat(days).extracting(RevenueFact::revenue).containsExactly(usd("-1.01"), usd("-1.00"), usd("-1.00"));
    }

    @Test
    void usageAndOneTimeLinesAreRecognisedWhenInvoiced() {
        BillingRows.Order invoice = order("paid", 4321, 0, 0, "2024-04-01T00:00:05Z");
        BillingRows.Item usage = new BillingRows.Item("i3", "o1", "metered", 4321, 0,
                Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-04-01T00:00:00Z"));
        BillingRows.Item once = new BillingRows.Item("i4", "o1", "one_time", 500, 0, null, null);

        assertThat(Recognition.ofItem(invoice, usage)).singleElement().satisfies(f -> {
            assertThat(f.factType()).isEqualTo(RevenueFact.USAGE);
            assertThat(f.day()).isEqualTo(LocalDate.parse("2024-04-01"));
            assertThat(f.revenue()).isEqualTo(usd("43.21"));
        });
        assertThat(Recognition.ofItem(invoice, once)).singleElement()
                .satisfies(f -> assertThat(f.factType()).isEqualTo(RevenueFact.ONE_TIME));
    }

    @Test
    void feesAreTheMerchantsCostAndOtherAccountsRowsAreNotCountedAgain() {
        BillingRows.Order paid = order("paid", 2900, 0, 0, "2024-03-01T00:00:00Z");
        BillingRows.LedgerEntry processorFee = new BillingRows.LedgerEntry("t2", ACME, "o1", "processor_fee",
                "merchant:" + ACME, -114, "usd", Instant.parse("2024-03-01T00:00:00Z"));
        BillingRows.LedgerEntry processorSide = new BillingRows.LedgerEntry("t3", ACME, "o1", "processor_fee",
                "processor", 114, "usd", Instant.parse("2024-03-01T00:00:00Z"));
        BillingRows.LedgerEntry payment = new BillingRows.LedgerEntry("t1", ACME, "o1", "payment",
                "merchant:" + ACME, 2900, "usd", Instant.parse("2024-03-01T00:00:00Z"));

        assertThat(Recognition.ofLedger(paid, processorFee)).singleElement().satisfies(f -> {
            assertThat(f.fees()).isEqualTo(usd("1.14"));
            assertThat(f.revenue()).isEqualTo(usd("0"));
        });
        assertThat(Recognition.ofLedger(paid, processorSide)).isEmpty();
        assertThat(Recognition.ofLedger(paid, payment)).as("cash, not revenue: the order's lines are").isEmpty();
    }

    @Test
    void aDisputesFeeIsAFeeOnTheDisputesDayAndOnlyTheChargeTakenBackRestatesRevenue() {
        BillingRows.Order disputed = order("paid", 2900, 0, 0, "2024-03-01T00:00:00Z");
        BillingRows.LedgerEntry chargeBack = new BillingRows.LedgerEntry("t5", ACME, "o1", "dispute",
                "merchant:" + ACME, -2900, "usd", Instant.parse("2024-03-04T08:00:00Z"));
        BillingRows.LedgerEntry disputeFee = new BillingRows.LedgerEntry("t6", ACME, "o1", "dispute_fee",
                "merchant:" + ACME, -1500, "usd", Instant.parse("2024-03-04T08:00:00Z"));

        assertThat(Recognition.ofLedger(disputed, chargeBack)).singleElement().satisfies(f -> {
            assertThat(f.factType()).isEqualTo("dispute");
            assertThat(f.revenue()).isEqualTo(usd("-29.00"));
            assertThat(f.fees()).isEqualTo(usd("0"));
        });
        assertThat(Recognition.ofLedger(disputed, disputeFee)).singleElement().satisfies(f -> {
            assertThat(f.factType()).isEqualTo(RevenueFact.FEE);
            assertThat(f.day()).isEqualTo(LocalDate.parse("2024-03-04"));
            assertThat(f.revenue()).isEqualTo(usd("0"));
            assertThat(f.fees()).isEqualTo(usd("15.00"));
        });
    }

    @Test
    void aRefundRestatesItsOwnDayRevenueFromTheMerchantAndTaxFromTheAuthority() {
        // An EU order: net €100.00, VAT €21.00, total €121.00. A €60.50 refund is half of it; billing-core
        // pays the €50.00 from the merchant and the €10.50 from tax:DE, on the day of the refund.
        BillingRows.Order vat = new BillingRows.Order("o1", ACME, "c1", "p1", null, "partially_refunded", "eur", 0, 10000,
                2100, 12100, Instant.parse("2024-03-01T00:00:00Z"));
        BillingRows.LedgerEntry fromMerchant = new BillingRows.LedgerEntry("t9", ACME, "o1", "refund", "merchant:" + ACME,
                -5000, "eur", Instant.parse("2024-03-20T09:00:00Z"));
        BillingRows.LedgerEntry fromAuthority = new BillingRows.LedgerEntry("t10", ACME, "o1", "refund", "tax:DE",
                -1050, "eur", Instant.parse("2024-03-20T09:00:00Z"));
        BillingRows.LedgerEntry toCustomer = new BillingRows.LedgerEntry("t11", ACME, "o1", "refund", "customer:c1",
                6050, "eur", Instant.parse("2024-03-20T09:00:00Z"));

        assertThat(Recognition.ofLedger(vat, fromMerchant)).singleElement().satisfies(f -> {
            assertThat(f.factType()).isEqualTo("refund");
            assertThat(f.day()).isEqualTo(LocalDate.parse("2024-03-20"));
            assertThat(f.revenue()).isEqualTo(usd("-50.00"));
            assertThat(f.tax()).isEqualTo(usd("0"));
            assertThat(f.currency()).isEqualTo("eur");
        });
        assertThat(Recognition.ofLedger(vat, fromAuthority)).singleElement().satisfies(f -> {
            assertThat(f.revenue()).isEqualTo(usd("0"));
            assertThat(f.tax()).isEqualTo(usd("-10.50"));
        });
        assertThat(Recognition.ofLedger(vat, toCustomer)).isEmpty();
        assertThat(vat.paid()).as("a refunded order stays booked").isTrue();
    }

    @Test
    void aLineEarnsItsNetAfterItsDiscountAndIncludedTax() {
        // ¥3,000 one-time, 10 % off (¥300), price includes 10 % tax: gross ¥2,700 = net ¥2,455 + tax ¥245.
        BillingRows.Order yen = new BillingRows.Order("o1", ACME, "c1", "p1", null, "paid", "jpy", 300, 2455, 245, 2700,
                Instant.parse("2024-03-01T00:00:00Z"));
        BillingRows.Item line = new BillingRows.Item("i1", "o1", "one_time", 3000, 245, 2455, null, null);
        assertThat(Recognition.ofItem(yen, line)).singleElement().satisfies(f -> {
            assertThat(f.revenue()).isEqualTo(usd("2455"));
            assertThat(f.tax()).isEqualTo(usd("245"));
        });
        String row = "{\"id\":\"i1\",\"order_id\":\"o1\",\"kind\":\"one_time\",\"amount\":3000,\"tax_amount\":245";
        assertThat(BillingRows.item(row + ",\"net_amount\":2455}").net()).isEqualTo(2455);
        assertThat(BillingRows.item(row + ",\"net_amount\":null}").net()).as("a line from before V14").isEqualTo(3000);
    }
}
