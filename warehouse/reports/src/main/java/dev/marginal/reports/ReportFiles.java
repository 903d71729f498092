package dev.marginal.reports;

import dev.marginal.warehouse.html.Html;
import dev.marginal.pricing.Money;
import dev.marginal.warehouse.money.MoneyText;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

/**
 * The human-readable report of one organisation and date: {@code <slug>.html} and {@code <slug>.csv}
 * in {@code <dir>/<date>/}. Every amount is rounded once to minor units (half-even) from the exact
 * warehouse figure; day-over-day is the difference of the two rounded amounts, so each line adds up
 * as printed. A rerun replaces both files (written aside, then renamed).
 */
final class ReportFiles {

    /** The report's lines, in reading order: label, CSV name, figure. */
    private record Line(String label, String name, Function<Figures, BigDecimal> value) {}

    private static final List<Line> LINES = List.of(
            new Line("Gross (charged, tax included)", "gross", Figures::gross),
            new Line("Tax collected", "tax_collected", Figures::taxCollected),
            new Line("Refunds", "refunds", Figures::refunds),
            new Line("Disputes", "disputes", Figures::disputes),
            new Line("Fees", "fees", Figures::fees),
            new Line("Net revenue", "net_revenue", Figures::netRevenue),
            new Line("Billed (tax excluded)", "billed", Figures::billed),
            new Line("Recognised revenue", "recognised", Figures::recognised),
            new Line("LLM cost", "llm_cost", Figures::llmCost),
            new Line("Fees (recognised days)", "fees_recognised", Figures::feesRecognised),
            new Line("Gross margin", "margin", Figures::margin));

    private ReportFiles() {}

    static Path directory(Path root, LocalDate date) {
        return root.resolve(date.toString());
    }

    static List<Path> write(Path root, Organization organization, LocalDate date, List<DailyRevenue> rows) throws IOException {
        Path dir = directory(root, date);
        Files.createDirectories(dir);
        Path csv = dir.resolve(organization.slug() + ".csv");
        Path html = dir.resolve(organization.slug() + ".html");
        replace(csv, csv(organization, date, rows));
        replace(html, html(organization, date, rows));
        return List.of(html, csv);
    }

    static String csv(Organization organization, LocalDate date, List<DailyRevenue> rows) {
        StringBuilder out = new StringBuilder("organization_id,organization,report_date,currency,figure,day,previous_day,day_over_day,month_to_date\n");
        for (DailyRevenue row : rows) {
            for (Line line : LINES) {
                Money day = money(line, row.day(), row.currency());
                Money previous = money(line, row.previousDay(), row.currency());
                out.append(String.join(",", organization.id(), csvText(organization.slug()), date.toString(), row.currency(),
                        line.name(), MoneyText.plain(day), MoneyText.plain(previous), MoneyText.plain(day.minus(previous)),
                        MoneyText.plain(money(line, row.monthToDate(), row.currency())))).append('\n');
            }
        }
        return out.toString();
    }

    static String html(Organization organization, LocalDate date, List<DailyRevenue> rows) {
        StringBuilder out = new StringBuilder("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <title>Daily revenue %1$s — %2$s</title>
                <style>body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330}table{border-collapse:collapse;margin-bottom:24px}
                th,td{padding:4px 12px;border-bottom:1px solid #dde1e7;text-align:right;font-variant-numeric:tabular-nums}
                th:first-child,td:first-child{text-align:left}.negative{color:#b42318}tr.total td{font-weight:600}</style>
                </head><body>
                <h1>Daily revenue — %2$s</h1>
                <p>%3$s (%4$s) · UTC day %1$s · day over day against %5$s · month to date from %6$s</p>
                """.formatted(date, Html.escape(organization.name()), Html.escape(organization.slug()), organization.id(),
                date.minusDays(1), date.withDayOfMonth(1)));
        if (rows.isEmpty()) {
            out.append("<p id=\"empty\">No revenue, cost or fees recorded on this day or earlier this month.</p>\n");
        }
        for (DailyRevenue row : rows) {
            out.append("<h2>").append(row.currency().toUpperCase(java.util.Locale.ROOT)).append("</h2>\n")
                    .append("<table class=\"figures\" data-currency=\"").append(row.currency()).append("\">\n")
                    .append("<tr><th>Figure</th><th>").append(date).append("</th><th>").append(date.minusDays(1))
                    .append("</th><th>Day over day</th><th>Month to date</th></tr>\n");
            for (Line line : LINES) {
                Money day = money(line, row.day(), row.currency());
                Money previous = money(line, row.previousDay(), row.currency());
                boolean total = line.name().equals("net_revenue") || line.name().equals("margin");
                out.append("<tr data-figure=\"").append(line.name()).append('"').append(total ? " class=\"total\"" : "").append('>')
                        .append("<td>").append(line.label()).append("</td>")
                        .append(cell(day)).append(cell(previous)).append(cell(day.minus(previous)))
                        .append(cell(money(line, row.monthToDate(), row.currency()))).append("</tr>\n");
            }
            out.append("</table>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    private static Money money(Line line, Figures figures, String currency) {
        return MoneyText.ofMajor(line.value().apply(figures), currency);
    }

    private static String cell(Money money) {
        return (money.isNegative() ? "<td class=\"negative\">" : "<td>") + Html.escape(MoneyText.format(money)) + "</td>";
    }

    private static String csvText(String text) {
        return text.matches("[A-Za-z0-9._-]*") ? text : "\"" + text.replace("\"", "\"\"") + "\"";
    }

    private static void replace(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
