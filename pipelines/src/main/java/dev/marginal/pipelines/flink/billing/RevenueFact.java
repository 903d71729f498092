package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.UsageCost;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * One row of {@code analytics.revenue_facts}: what one order line, discount or ledger row
 * contributes to one UTC day, in major units of {@code currency}. Field order is
 * {@link RevenueFactsTable#SCHEMA}'s.
 *
 * @param day      the day the amount is recognised (a subscription fee: each day of its period)
 * @param bookedAt when billing-core booked it (the order's creation, the ledger row's time):
 *                 reconcile compares per booked day, as billing-core has no per-day split
 * @param revenue  recognised revenue, tax excluded; negative for refunds, disputes and discounts
 * @param tax      the tax on that revenue (never revenue itself)
 * @param fees     processor, platform and dispute fees the merchant paid (a cost)
 */
public record RevenueFact(String organizationId, String customerId, String productId, String subscriptionId,
                          String orderId, String sourceId, String factType, String lineKind, LocalDate day,
                          Instant bookedAt, String currency, BigDecimal revenue, BigDecimal tax, BigDecimal fees) {

    public static final String SUBSCRIPTION = "subscription";
    public static final String USAGE = "usage";
    public static final String ONE_TIME = "one_time";
    public static final String FEE = "fee";

    public RowData toRowData() {
        GenericRowData row = new GenericRowData(14);
        row.setField(0, StringData.fromString(organizationId));
        row.setField(1, string(customerId));
        row.setField(2, string(productId));
        row.setField(3, string(subscriptionId));
        row.setField(4, StringData.fromString(orderId));
        row.setField(5, StringData.fromString(sourceId));
        row.setField(6, StringData.fromString(factType));
        row.setField(7, string(lineKind));
        row.setField(8, (int) day.toEpochDay());
        row.setField(9, TimestampData.fromInstant(bookedAt.truncatedTo(ChronoUnit.MICROS)));
        row.setField(10, StringData.fromString(currency));
        row.setField(11, decimal(revenue));
        row.setField(12, decimal(tax));
        row.setField(13, decimal(fees));
        return row;
    }

    private static StringData string(String s) {
        return s == null ? null : StringData.fromString(s);
    }

    private DecimalData decimal(BigDecimal amount) {
        DecimalData d = DecimalData.fromBigDecimal(amount, UsageCost.PRECISION, UsageCost.SCALE);
        if (d == null) {
            throw new ArithmeticException(amount + " of " + sourceId + " does not fit DECIMAL(38,12)");
        }
        return d;
    }
}
