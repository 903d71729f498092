package dev.marginal.simulations.warehouse;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.marginal.simulations.usage.Aggregates;

/**
 * Loads an organisation's {@link Aggregates} for [from, to) from Trino: the I/O edge in front of
 * the pure engine. Periods are the calendar months that start in the range ({@code from} is moved
 * to the first of its month).
 */
public final class TrinoUsageLoader {

    private final Connection connection;

    public TrinoUsageLoader(Connection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    public static List<LocalDate> months(LocalDate from, LocalDate to) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("--to (" + to + ") must be after --from (" + from + ")");
        }
        List<LocalDate> months = new ArrayList<>();
        for (LocalDate m = from.withDayOfMonth(1); m.isBefore(to); m = m.plusMonths(1)) {
            months.add(m);
        }
        return months;
    }

    public List<String> organizations(LocalDate from, LocalDate to) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(UsageQueries.ORGANIZATIONS)) {
            s.setDate(1, Date.valueOf(from.withDayOfMonth(1)));
            s.setDate(2, Date.valueOf(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    public Aggregates load(String organizationId, LocalDate from, LocalDate to) throws SQLException {
        List<LocalDate> months = months(from, to);
        Map<LocalDate, Integer> period = new HashMap<>();
        for (int i = 0; i < months.size(); i++) {
            period.put(months.get(i), i);
        }
        Map<Aggregates.Customer, Integer> customers = new HashMap<>();
        List<Aggregates.Customer> customerList = new ArrayList<>();
        List<Aggregates.Usage> usage = new ArrayList<>();
        List<Aggregates.Cost> costs = new ArrayList<>();
        query(UsageQueries.USAGE, organizationId, months.get(0), to, rs -> usage.add(new Aggregates.Usage(
                customer(rs, customers, customerList), period.get(rs.getDate(3).toLocalDate()), rs.getString(4),
                rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8))));
        query(UsageQueries.COSTS, organizationId, months.get(0), to, rs -> {
            BigDecimal cost = rs.getBigDecimal(9);
            costs.add(new Aggregates.Cost(customer(rs, customers, customerList), period.get(rs.getDate(3).toLocalDate()),
                    rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), cost, rs.getString(10)));
        });
        return new Aggregates(organizationId, customerList, months, usage, costs);
    }

    /** Usage without a customer (neither id) cannot be billed to anyone and is left out by the caller's filter. */
    private static int customer(ResultSet rs, Map<Aggregates.Customer, Integer> index, List<Aggregates.Customer> list)
            throws SQLException {
        Aggregates.Customer customer = new Aggregates.Customer(rs.getString(1), rs.getString(2));
        return index.computeIfAbsent(customer, c -> {
            list.add(c);
            return list.size() - 1;
        });
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, String organizationId, LocalDate from, LocalDate to, Row row) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, organizationId);
            s.setDate(2, Date.valueOf(from));
            s.setDate(3, Date.valueOf(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1) == null && rs.getString(2) == null) {
                        continue;
                    }
                    row.accept(rs);
                }
            }
        }
    }
}
