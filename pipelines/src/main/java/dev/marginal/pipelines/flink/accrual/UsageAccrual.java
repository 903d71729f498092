package dev.marginal.pipelines.flink.accrual;

import dev.marginal.pipelines.flink.UsageCost;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * One row of {@code analytics.usage_accruals}: how one event moved one subscription's metered
 * line for its open billing period. {@code amount} is the line as the pricing engine prices the
 * period-to-date quantity after the event, minus the same before it, so a period's rows sum to
 * exactly the line billing-core invoices for it (a difference of rounded lines telescopes), and a
 * volume tier crossed makes an event's amount negative. Field order is {@link UsageAccrualsTable#SCHEMA}'s.
 */
public record UsageAccrual(String organizationId, String customerId, String subscriptionId, String priceId, String meterId,
                           Instant periodStart, Instant periodEnd, String eventId, Instant timestamp, String currency,
                           BigDecimal quantity, BigDecimal amount) {

    public LocalDate day() {
        return timestamp.atZone(ZoneOffset.UTC).toLocalDate();
    }

    public RowData toRowData() {
        GenericRowData row = new GenericRowData(13);
        row.setField(0, StringData.fromString(organizationId));
        row.setField(1, StringData.fromString(customerId));
        row.setField(2, StringData.fromString(subscriptionId));
        row.setField(3, StringData.fromString(priceId));
        row.setField(4, StringData.fromString(meterId));
        row.setField(5, ts(periodStart));
        row.setField(6, ts(periodEnd));
        row.setField(7, StringData.fromString(eventId));
        row.setField(8, (int) day().toEpochDay());
        row.setField(9, ts(timestamp));
        row.setField(10, StringData.fromString(currency));
        row.setField(11, decimal(quantity));
        row.setField(12, decimal(amount));
        return row;
    }

    private static TimestampData ts(Instant at) {
        return TimestampData.fromInstant(at.truncatedTo(ChronoUnit.MICROS));
    }

    private static DecimalData decimal(BigDecimal value) {
        return DecimalData.fromBigDecimal(value.setScale(UsageCost.SCALE, java.math.RoundingMode.HALF_EVEN), UsageCost.PRECISION,
                UsageCost.SCALE);
    }
}
