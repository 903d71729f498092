package dev.marginal.reports;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@link Figures} from the warehouse, per currency, for one organisation and a range of UTC
 * days (both ends included). The two queries are the report's only SQL.
 */
final class FiguresReader {

    /**
     * Bookings by the UTC day billing-core booked them (analytics.revenue_facts). Refund and dispute
     * facts carry negative revenue and tax; they are turned into positive amounts returned.
     */
    static final String BOOKED = """
            SELECT currency,
                   sum(CASE WHEN fact_type NOT IN ('fee', 'refund', 'refund_reversal', 'dispute', 'dispute_reversal')
                            THEN revenue + tax ELSE 0 END),
                   sum(CASE WHEN fact_type <> 'fee' THEN tax ELSE 0 END),
                   -sum(CASE WHEN fact_type IN ('refund', 'refund_reversal') THEN revenue + tax ELSE 0 END),
                   -sum(CASE WHEN fact_type IN ('dispute', 'dispute_reversal') THEN revenue + tax ELSE 0 END),
                   sum(fees),
                   sum(CASE WHEN fact_type <> 'fee' THEN revenue ELSE 0 END)
            FROM marginal.analytics.revenue_facts
            WHERE organization_id = ?
              AND CAST(booked_at AT TIME ZONE 'UTC' AS date) BETWEEN ? AND ?
            GROUP BY currency""";

    /** Recognised revenue, LLM cost, fees and gross margin by UTC day, as the dashboard shows them. */
    static final String RECOGNISED = """
            SELECT currency, sum(revenue), sum(cost), sum(fees), sum(gross_margin)
            FROM marginal.analytics.customer_margins
            WHERE organization_id = ? AND day BETWEEN ? AND ? AND currency IS NOT NULL
            GROUP BY currency""";

    private final Connection trino;

    FiguresReader(Connection trino) {
        this.trino = trino;
    }

    /** Figures by lower-case currency; a currency with only bookings or only recognition has zeros for the rest. */
    Map<String, Figures> read(String organizationId, LocalDate from, LocalDate to) throws SQLException {
        Map<String, Figures> byCurrency = new TreeMap<>();
        query(BOOKED, organizationId, from, to, (currency, v) -> byCurrency.merge(currency,
                Figures.ZERO.withBooked(v[0], v[1], v[2], v[3], v[4], v[5]),
                (old, fresh) -> old.withBooked(v[0], v[1], v[2], v[3], v[4], v[5])));
        query(RECOGNISED, organizationId, from, to, (currency, v) -> byCurrency.merge(currency,
                Figures.ZERO.withRecognised(v[0], v[1], v[2], v[3]),
                (old, fresh) -> old.withRecognised(v[0], v[1], v[2], v[3])));
        return byCurrency;
    }

    private interface Row {
        void accept(String currency, BigDecimal[] values);
    }

    private void query(String sql, String organizationId, LocalDate from, LocalDate to, Row row) throws SQLException {
        try (PreparedStatement statement = trino.prepareStatement(sql)) {
            statement.setString(1, organizationId);
            statement.setDate(2, Date.valueOf(from));
            statement.setDate(3, Date.valueOf(to));
            try (ResultSet rows = statement.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    BigDecimal[] values = new BigDecimal[columns - 1];
                    for (int i = 2; i <= columns; i++) {
                        BigDecimal value = rows.getBigDecimal(i);
                        values[i - 2] = value == null ? BigDecimal.ZERO : value;
                    }
                    row.accept(rows.getString(1).toLowerCase(java.util.Locale.ROOT), values);
                }
            }
        }
    }
}
