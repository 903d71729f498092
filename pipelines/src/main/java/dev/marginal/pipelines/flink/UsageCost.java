package dev.marginal.pipelines.flink;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * One row of {@code marginal.analytics.usage_costs}: what one event cost, in major units of
 * {@code currency}, and where the figure came from. Field order is {@link UsageCostsTable#SCHEMA}'s.
 *
 * @param cost null when {@code costSource} is {@link #SOURCE_NONE}, as is {@code currency}
 */
public record UsageCost(
        String organizationId,
        String eventId,
        String customerId,
        String externalCustomerId,
        String name,
        String vendor,
        String model,
        Long inputTokens,
        Long cachedInputTokens,
        Long outputTokens,
        BigDecimal cost,
        String currency,
        String costSource,
        LocalDate day,
        Instant timestamp) {

    /** The client's own {@code metadata._cost}. */
    public static final String SOURCE_EVENT = "event";
    /** Priced at ingest by billing-core from its model price catalog ({@code events.cost_amount}). */
    public static final String SOURCE_CATALOG = "catalog";
    /** Neither: the event carries no cost (not an LLM call, or a model the catalog does not price). */
    public static final String SOURCE_NONE = "none";

    /** The warehouse's money type: {@code DECIMAL(38,12)} in major units (docs: DESIGN.md, "Contracts"). */
    public static final int PRECISION = 38;
    public static final int SCALE = 12;

    static final int FIELDS = 15;

    /**
     * Cents (Polar's {@code _cost} unit, and billing-core's {@code cost_amount}) to major units at
     * the warehouse's scale. Dividing by 100 is exact; only a cent amount with more than 10
     * decimals (billing-core keeps 12) loses its last two digits here, rounded half-even, once
     * per event, so every sum in the warehouse is a sum of these figures.
     */
    public static BigDecimal majorUnits(BigDecimal cents) {
        BigDecimal major = cents.movePointLeft(2).setScale(SCALE, RoundingMode.HALF_EVEN);
        if (major.precision() > PRECISION) {
            throw new ArithmeticException("cost " + cents + " cents does not fit DECIMAL(38,12) in major units");
        }
        return major;
    }

    /** The UTC date of an instant: the day a fact belongs to, whenever it arrives. */
    public static LocalDate dayOf(Instant timestamp) {
        return LocalDate.ofInstant(timestamp, ZoneOffset.UTC);
    }

    /** Counted in {@code model_cost_deltas}: an LLM call, i.e. vendor and model are known. */
    public boolean isModelCall() {
        return vendor != null && model != null;
    }

    public RowData toRowData() {
        GenericRowData row = new GenericRowData(FIELDS);
        row.setField(0, str(organizationId));
        row.setField(1, str(eventId));
        row.setField(2, str(customerId));
        row.setField(3, str(externalCustomerId));
        row.setField(4, str(name));
        row.setField(5, str(vendor));
        row.setField(6, str(model));
        row.setField(7, inputTokens);
        row.setField(8, cachedInputTokens);
        row.setField(9, outputTokens);
        row.setField(10, cost == null ? null : DecimalData.fromBigDecimal(cost, PRECISION, SCALE));
        row.setField(11, str(currency));
        row.setField(12, str(costSource));
        row.setField(13, (int) day.toEpochDay());
        row.setField(14, TimestampData.fromInstant(timestamp));
        return row;
    }

    public static UsageCost of(RowData row) {
        return new UsageCost(
                string(row, 0), string(row, 1), string(row, 2), string(row, 3), string(row, 4),
                string(row, 5), string(row, 6),
                row.isNullAt(7) ? null : row.getLong(7),
                row.isNullAt(8) ? null : row.getLong(8),
                row.isNullAt(9) ? null : row.getLong(9),
                row.isNullAt(10) ? null : row.getDecimal(10, PRECISION, SCALE).toBigDecimal(),
                string(row, 11), string(row, 12),
                LocalDate.ofEpochDay(row.getInt(13)),
                row.getTimestamp(14, 6).toInstant());
    }

    private static String string(RowData row, int pos) {
        return row.isNullAt(pos) ? null : row.getString(pos).toString();
    }

    private static StringData str(String s) {
        return s == null ? null : StringData.fromString(s);
    }
}
