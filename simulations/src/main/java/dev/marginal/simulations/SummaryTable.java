package dev.marginal.simulations;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import dev.marginal.simulations.engine.Percentiles;
import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.engine.Summary;
import dev.marginal.simulations.engine.VariantResult;
import dev.marginal.simulations.optimiser.Metrics;
import dev.marginal.simulations.optimiser.OptimiserResult;
import dev.marginal.simulations.scenario.Metric;

/** The CLI's table: one line per variant, money in major units rounded to whole units for reading. */
final class SummaryTable {

    private SummaryTable() {
    }

    static String render(SimulationResult result) {
        boolean stochastic = result.variants().stream().anyMatch(v -> v.summary().revenueP() != null);
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("variant", "revenue", "Δ revenue", "cost", "margin", "margin %",
                "bills up/down", "max increase"));
        if (stochastic) {
            head.addAll(List.of("revenue P5..P95", "margin P50", "exp. churn"));
        }
        rows.add(head.toArray(String[]::new));
        for (VariantResult variant : result.variants()) {
            Summary s = variant.summary();
            List<String> row = new ArrayList<>(List.of(s.variant(), money(s.revenue()), pct(s.revenueDeltaPct(), true),
                    money(s.cost()), money(s.margin()), pct(s.marginPct(), false),
                    s.customersUp() + " / " + s.customersDown(), pct(s.maxIncreasePct(), true)));
            if (stochastic) {
                Percentiles r = s.revenueP();
                row.add(r == null ? "" : money(r.p5()) + " .. " + money(r.p95()));
                row.add(s.marginP() == null ? "" : money(s.marginP().p50()));
                row.add(s.expectedChurn().toPlainString());
            }
            rows.add(row.toArray(String[]::new));
        }
        StringBuilder out = new StringBuilder();
        String currency = result.scenario().currency().getCurrencyCode();
        out.append(result.scenario().name()).append(" — ").append(result.aggregates().customers().size())
                .append(" customers × ").append(result.aggregates().periodStarts().size()).append(" months, ")
                .append(currency).append('\n');
        return out.append(table(rows)).toString();
    }

    /**
     * The optimiser's report: the frontier (the chosen point marked *), then what was asked, the
     * baseline, the chosen point and what keeps a better one out.
     */
    static String renderOptimiser(OptimiserResult result) {
        Metric objective = result.optimisation().objective().metric();
        Metric risk = result.optimisation().risk();
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("frontier", objective.wireName()));
        if (risk != objective) {
            head.add(risk.wireName());
        }
        head.addAll(List.of("revenue", "margin %", "meets constraints"));
        rows.add(head.toArray(String[]::new));
        for (OptimiserResult.Point point : result.frontier()) {
            List<String> row = new ArrayList<>(List.of((point == result.chosen() ? "* " : "  ") + point.name(),
                    Metrics.format(objective, point.objective())));
            if (risk != objective) {
                row.add(Metrics.format(risk, point.risk()));
            }
            row.addAll(List.of(Metrics.format(Metric.REVENUE, point.summary().revenue()),
                    Metrics.format(Metric.MARGIN_PCT, point.summary().marginPct()),
                    point.feasible() ? "yes" : "no: " + point.violation()));
            rows.add(row.toArray(String[]::new));
        }
        StringBuilder out = new StringBuilder("\n").append(table(rows));
        for (String line : result.explanation()) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** Columns padded to their widest cell: the first (a name) left-aligned, figures right-aligned, the last as is. */
    private static String table(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int i = 0; i < row.length; i++) {
                String cell = i == 0 ? pad(row[i], width[i], false) : pad(row[i], width[i], true);
                out.append(i == 0 ? "" : "  ").append(cell);
            }
            out.append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append('\n');
            }
        }
        return out.toString();
    }

    static String money(BigDecimal major) {
        return String.format("%,d", major.setScale(0, RoundingMode.HALF_EVEN).longValueExact());
    }

    private static String pct(BigDecimal value, boolean signed) {
        if (value == null) {
            return "–";
        }
        String text = value.setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "%";
        return signed && value.signum() > 0 ? "+" + text : text;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
