package dev.marginal.simulations.invoiced;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Invoiced revenue from billing-core's own tables ({@code orders}, {@code order_items}), the
 * source of truth. Each order line counts for the month its service period starts: an order opens
 * period N with the fixed fee in advance and bills period N − 1's usage in arrears, so its lines
 * belong to two different months — the months the simulation prices them in.
 */
public final class BillingInvoicedRevenue implements InvoicedRevenue {

    /** Lines before tax (the simulation prices before tax); pending and paid orders alike were invoiced. */
    static final String LINES = """
            SELECT CAST(o.customer_id AS text)                                              AS customer_id,
                   c.external_id                                                            AS external_customer_id,
                   CAST(date_trunc('month', i.start_timestamp AT TIME ZONE 'UTC') AS date)  AS period_start,
                   o.currency,
                   sum(i.amount)                                                            AS amount
            FROM orders o
            JOIN order_items i ON i.order_id = o.id
            JOIN customers c ON c.id = o.customer_id
            WHERE o.organization_id = CAST(? AS uuid)
              AND i.start_timestamp >= ? AND i.start_timestamp < ?
            GROUP BY 1, 2, 3, 4
            ORDER BY 1, 3""";

    private final Connection connection;

    public BillingInvoicedRevenue(Connection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    @Override
    public List<Invoiced> load(String organizationId, LocalDate from, LocalDate to) throws SQLException {
        List<Invoiced> out = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(LINES)) {
            s.setString(1, organizationId);
            s.setObject(2, from.withDayOfMonth(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            s.setObject(3, to.atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Invoiced(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class),
                            rs.getString(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }
}
