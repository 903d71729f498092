package dev.marginal.dashboard;

import dev.marginal.dashboard.Figures.DayPoint;
import dev.marginal.dashboard.Figures.Freshness;
import dev.marginal.dashboard.Figures.Margin;
import dev.marginal.dashboard.Figures.ModelCost;
import dev.marginal.dashboard.Figures.MonthPoint;
import dev.marginal.dashboard.Figures.Totals;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one organisation's {@link Figures} through a Trino connection of the logged-in user, so
 * Trino's row filters, not this class, decide which rows exist. Every amount is a view's
 * DECIMAL(38,12) rounded once, half-even, to minor units; window totals are summed exactly
 * first and rounded once too.
 */
final class FiguresReader {

    private final Connection trino;
    private final PanelTimes times;

    FiguresReader(Connection trino, PanelTimes times) {
        this.trino = trino;
        this.times = times;
    }

    /**
     * @param currency the currency to show, or empty for the organisation's main one
     * @param today    last day of the window (UTC)
     * @param days     window length in days, today included
     */
    Figures read(String organizationId, Optional<String> currency, LocalDate today, int days) throws SQLException {
        LocalDate from = today.minusDays(days - 1L);
        List<String> currencies = strings(Panels.CURRENCIES, List.of(organizationId, Date.valueOf(from), Date.valueOf(today)));
        if (currencies.isEmpty()) {
            currencies = strings(Panels.CURRENCIES_EVER, List.of(organizationId));
        }
        List<String> known = currencies;
        String shown = currency.map(c -> c.toLowerCase(Locale.ROOT))
                .or(() -> known.stream().findFirst())
                .orElse("usd");
        LocalDate firstMonth = today.withDayOfMonth(1).minusMonths(11);

        List<MonthPoint> mrr = new ArrayList<>();
        query(Panels.MRR, List.of(organizationId, shown, Date.valueOf(firstMonth), Date.valueOf(today.withDayOfMonth(1))), row ->
                mrr.add(new MonthPoint(row.getDate(1).toLocalDate(), Amount.ofMajor(row.getBigDecimal(2), shown))));

        List<DayPoint> daily = new ArrayList<>();
        BigDecimal[] sums = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
        query(Panels.DAILY, window(organizationId, shown, from, today), row -> {
            Amount[] day = new Amount[4];
            for (int i = 0; i < 4; i++) {
                BigDecimal value = decimal(row, i + 2);
                sums[i] = sums[i].add(value);
                day[i] = Amount.ofMajor(value, shown);
            }
            daily.add(new DayPoint(row.getDate(1).toLocalDate(), day[0], day[1], day[2], day[3]));
        });
        Amount revenue = Amount.ofMajor(sums[0], shown);
        Amount margin = Amount.ofMajor(sums[3], shown);
        Totals totals = new Totals(revenue, Amount.ofMajor(sums[1], shown), Amount.ofMajor(sums[2], shown), margin,
                Percent.of(margin.minor(), revenue.minor()));

        return new Figures(organizationId, shown, currencies, from, today, freshness(organizationId, today), mrr, daily, totals,
                margins(Panels.TOP_CUSTOMERS, organizationId, shown, from, today, true),
                margins(Panels.BOTTOM_CUSTOMERS, organizationId, shown, from, today, true),
                margins(Panels.FEATURES, organizationId, shown, from, today, false),
                models(organizationId, shown, from, today, totals.llmCost()));
    }

    private List<Margin> margins(String sql, String organizationId, String currency, LocalDate from, LocalDate to,
                                 boolean labelled)
            throws SQLException {
        List<Margin> margins = new ArrayList<>();
        query(sql, window(organizationId, currency, from, to), row -> {
            int next = labelled ? 3 : 2;
            Amount revenue = Amount.ofMajor(decimal(row, next), currency);
            Amount margin = Amount.ofMajor(decimal(row, next + 3), currency);
            String key = row.getString(1);
            margins.add(new Margin(key, labelled ? row.getString(2) : key, revenue,
                    Amount.ofMajor(decimal(row, next + 1), currency), Amount.ofMajor(decimal(row, next + 2), currency),
                    margin, Percent.of(margin.minor(), revenue.minor())));
        });
        return margins;
    }

    private List<ModelCost> models(String organizationId, String currency, LocalDate from, LocalDate to, Amount windowCost)
            throws SQLException {
        List<ModelCost> models = new ArrayList<>();
        query(Panels.MODELS, window(organizationId, currency, from, to), row -> {
            Amount cost = Amount.ofMajor(decimal(row, 4), currency);
            models.add(new ModelCost(row.getString(1), row.getString(2), row.getLong(3), cost,
                    Percent.of(cost.minor(), windowCost.minor())));
        });
        return models;
    }

    /** From events timed since yesterday (UTC) if there are any, else from all of them. */
    private Freshness freshness(String organizationId, LocalDate today) throws SQLException {
        String since = today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        Freshness recent = freshness(Panels.FRESHNESS, List.of(organizationId, since));
        return recent.newestIngestedAt().isPresent() ? recent : freshness(Panels.FRESHNESS_EVER, List.of(organizationId));
    }

    private Freshness freshness(String sql, List<Object> parameters) throws SQLException {
        Freshness[] found = {new Freshness(Optional.empty(), Optional.empty())};
        query(sql, parameters, row -> {
            String newest = row.getString(1);
            long age = row.getLong(2);
            found[0] = new Freshness(Optional.ofNullable(newest), row.wasNull() ? Optional.empty() : Optional.of(age));
        });
        return found[0];
    }

    private static List<Object> window(String organizationId, String currency, LocalDate from, LocalDate to) {
        return List.of(organizationId, currency, Date.valueOf(from), Date.valueOf(to));
    }

    private static BigDecimal decimal(ResultSet row, int column) throws SQLException {
        BigDecimal value = row.getBigDecimal(column);
        return value == null ? BigDecimal.ZERO : value;
    }

    private List<String> strings(String sql, List<Object> parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        query(sql, parameters, row -> values.add(row.getString(1)));
        return values;
    }

    private interface RowHandler {
        void accept(ResultSet row) throws SQLException;
    }

    private void query(String sql, List<Object> parameters, RowHandler handler) throws SQLException {
        long started = System.nanoTime();
        try (PreparedStatement statement = trino.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    handler.accept(rows);
                }
            }
        }
        times.record(PanelTimes.panel(sql), System.nanoTime() - started);
    }
}
