package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.UsageCost;
import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.Allocation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Revenue recognition, pure: what an order line, an order's discount or a ledger row contributes
 * to which UTC day. Every split of minor units goes through the pricing engine's
 * {@link Allocation#proportional} (largest remainder, ties to the earlier part), so the parts
 * always sum exactly to what billing-core booked and the remainder cent lands deterministically.
 *
 * <ul>
 *   <li>fixed and proration lines (subscription fees) are recognised ratably over their service
 *       period, each UTC day by the seconds of the period it holds;</li>
 *   <li>metered and one-time lines on the day the order was created (invoiced);</li>
 *   <li>a line earns its net: its amount less its share of the order's discount and, when its
 *       price includes tax, less that tax;</li>
 *   <li>the ledger rows of an order: the merchant's processor, platform and dispute fees as fees; refunds,
 *       disputes and their reversals on their own day, as revenue from the merchant's rows and as
 *       tax from the authority's ({@code tax:<jurisdiction>}) rows, since billing-core moves a
 *       charge's net and its tax through those two accounts apart.</li>
 * </ul>
 */
public final class Recognition {

    static final Set<String> FEE_TYPES = Set.of("processor_fee", "platform_fee", "dispute_fee");
    static final Set<String> RESTATING_TYPES = Set.of("refund", "refund_reversal", "dispute", "dispute_reversal");
    private static final long SECONDS_PER_DAY = 86_400;

    private Recognition() {
    }

    public static List<RevenueFact> ofItem(BillingRows.Order order, BillingRows.Item item) {
        String type = switch (item.kind()) {
            case "fixed", "proration" -> RevenueFact.SUBSCRIPTION;
            case "metered" -> RevenueFact.USAGE;
            case "one_time" -> RevenueFact.ONE_TIME;
            default -> throw new BillingRows.Unreadable("order item " + item.id() + " has unknown kind " + item.kind());
        };
        boolean ratable = type.equals(RevenueFact.SUBSCRIPTION) && item.start() != null && item.end() != null
                && item.end().isAfter(item.start());
        if (!ratable) {
            return List.of(fact(order, item.id(), type, item.kind(), day(order.createdAt()), order.createdAt(),
                    item.net(), item.taxAmount(), 0));
        }
        LocalDate first = day(item.start());
        LocalDate last = day(item.end().minusNanos(1));
        int days = (int) (last.toEpochDay() - first.toEpochDay()) + 1;
        long[] weights = new long[days];
        for (int i = 0; i < days; i++) {
            Instant dayStart = first.plusDays(i).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant from = max(dayStart, item.start());
            Instant to = min(dayStart.plusSeconds(SECONDS_PER_DAY), item.end());
            weights[i] = Math.max(0, to.getEpochSecond() - from.getEpochSecond());
        }
        if (sum(weights) == 0) {
            // A period shorter than a second: all of it on its day.
            weights[0] = 1;
        }
        long[] amounts = split(item.net(), weights);
        long[] taxes = split(item.taxAmount(), weights);
        List<RevenueFact> facts = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            if (amounts[i] != 0 || taxes[i] != 0) {
                facts.add(fact(order, item.id(), type, item.kind(), first.plusDays(i), order.createdAt(), amounts[i], taxes[i], 0));
            }
        }
        return facts;
    }

    /**
     * A paid subscription fee line with a service period (what {@link #ofItem} spreads over the
     * period's days) as one {@code subscription_lines} row: its net in all and its period; none for
     * any other line. Proration lines are not recurring revenue and have none.
     */
    public static Optional<RowData> subscriptionLine(BillingRows.Order order, BillingRows.Item item) {
        if (!item.kind().equals("fixed") || item.start() == null || item.end() == null || !item.end().isAfter(item.start())
                || item.net() == 0 && item.taxAmount() == 0) { // a line of no money books no facts either
            return Optional.empty();
        }
        GenericRowData row = new GenericRowData(9);
        row.setField(0, StringData.fromString(order.organizationId()));
        row.setField(1, order.customerId() == null ? null : StringData.fromString(order.customerId()));
        row.setField(2, order.subscriptionId() == null ? null : StringData.fromString(order.subscriptionId()));
        row.setField(3, StringData.fromString(order.id()));
        row.setField(4, StringData.fromString(item.id()));
        row.setField(5, StringData.fromString(order.currency()));
        row.setField(6, TimestampData.fromInstant(item.start().truncatedTo(ChronoUnit.MICROS)));
        row.setField(7, TimestampData.fromInstant(item.end().truncatedTo(ChronoUnit.MICROS)));
        row.setField(8, DecimalData.fromBigDecimal(major(item.net(), order.currency()), UsageCost.PRECISION, UsageCost.SCALE));
        return Optional.of(row);
    }

    /**
     * The merchant's and the tax authority's side of a ledger row of {@code order}; other accounts'
     * rows are the same money seen from elsewhere.
     */
    public static List<RevenueFact> ofLedger(BillingRows.Order order, BillingRows.LedgerEntry entry) {
        boolean merchant = entry.account().equals("merchant:" + entry.organizationId());
        boolean authority = entry.account().startsWith("tax:");
        if (!merchant && !authority) {
            return List.of();
        }
        LocalDate day = day(entry.createdAt());
        if (merchant && FEE_TYPES.contains(entry.type())) {
            // The merchant pays a fee: its row is negative, the cost is its opposite.
            return List.of(fact(order, entry.id(), RevenueFact.FEE, entry.type(), day, entry.createdAt(), 0, 0, -entry.amount(),
                    entry.currency()));
        }
        if (!RESTATING_TYPES.contains(entry.type())) {
            return List.of();
        }
        return List.of(fact(order, entry.id(), entry.type(), entry.type(), day, entry.createdAt(),
                merchant ? entry.amount() : 0, authority ? entry.amount() : 0, 0, entry.currency()));
    }

    /** Signed {@code total} split by {@code weights}; all of it to the first part when every weight is zero. */
    static long[] split(long total, long[] weights) {
        if (sum(weights) == 0) {
            long[] parts = new long[weights.length];
            parts[0] = total;
            return parts;
        }
        long[] parts = Allocation.proportional(Math.abs(total), weights);
        if (total < 0) {
            for (int i = 0; i < parts.length; i++) {
                parts[i] = -parts[i];
            }
        }
        return parts;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s = Math.addExact(s, v);
        }
        return s;
    }

    private static RevenueFact fact(BillingRows.Order order, String sourceId, String type, String kind, LocalDate day,
                                    Instant bookedAt, long revenue, long tax, long fees) {
        return fact(order, sourceId, type, kind, day, bookedAt, revenue, tax, fees, order.currency());
    }

    private static RevenueFact fact(BillingRows.Order order, String sourceId, String type, String kind, LocalDate day,
                                    Instant bookedAt, long revenue, long tax, long fees, String currency) {
        return new RevenueFact(order.organizationId(), order.customerId(), order.productId(), order.subscriptionId(),
                order.id(), sourceId, type, kind, day, bookedAt, currency, major(revenue, currency), major(tax, currency),
                major(fees, currency));
    }

    /** Minor units → the warehouse's DECIMAL(38,12) major units, by the currency's own exponent. */
    static BigDecimal major(long minor, String currency) {
        return Money.of(minor, currency).toMajor().setScale(UsageCost.SCALE);
    }

    static LocalDate day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
