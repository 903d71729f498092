package dev.marginal.reports;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Writes an organisation's rows of {@code reports.daily_revenue} (warehouse sql/reports.sql) with
 * one MERGE: Iceberg commits it whole or not at all, and a rerun for the same date and organisation
 * updates the rows it wrote before instead of adding a second set.
 */
final class DailyRevenueTable {

    private record Column(String name, Function<DailyRevenue, BigDecimal> value) {}

    private static final List<Column> AMOUNTS = List.of(
            new Column("gross", r -> r.day().gross()),
            new Column("tax_collected", r -> r.day().taxCollected()),
            new Column("refunds", r -> r.day().refunds()),
            new Column("disputes", r -> r.day().disputes()),
            new Column("fees", r -> r.day().fees()),
            new Column("net_revenue", r -> r.day().netRevenue()),
            new Column("billed", r -> r.day().billed()),
            new Column("recognised", r -> r.day().recognised()),
            new Column("llm_cost", r -> r.day().llmCost()),
            new Column("fees_recognised", r -> r.day().feesRecognised()),
            new Column("margin", r -> r.day().margin()),
            new Column("previous_net_revenue", r -> r.previousDay().netRevenue()),
            new Column("previous_recognised", r -> r.previousDay().recognised()),
            new Column("previous_margin", r -> r.previousDay().margin()),
            new Column("mtd_gross", r -> r.monthToDate().gross()),
            new Column("mtd_net_revenue", r -> r.monthToDate().netRevenue()),
            new Column("mtd_recognised", r -> r.monthToDate().recognised()),
            new Column("mtd_llm_cost", r -> r.monthToDate().llmCost()),
            new Column("mtd_margin", r -> r.monthToDate().margin()));

    private DailyRevenueTable() {}

    static String mergeSql(int rows) {
        List<String> names = new ArrayList<>(List.of("organization_id", "report_date", "currency"));
        AMOUNTS.forEach(c -> names.add(c.name()));
        String row = "(?, CAST(? AS date), ?" + ", CAST(? AS decimal(38,12))".repeat(AMOUNTS.size()) + ", current_timestamp)";
        names.add("generated_at");
        List<String> updates = names.subList(3, names.size()).stream().map(n -> n + " = s." + n).toList();
        return "MERGE INTO marginal.reports.daily_revenue t\n"
                + "USING (VALUES " + String.join(", ", Collections.nCopies(rows, row)) + ")\n"
                + "  AS s (" + String.join(", ", names) + ")\n"
                + "ON t.organization_id = s.organization_id AND t.report_date = s.report_date AND t.currency = s.currency\n"
                + "WHEN MATCHED THEN UPDATE SET " + String.join(", ", updates) + "\n"
                + "WHEN NOT MATCHED THEN INSERT (" + String.join(", ", names) + ")\n"
                + "  VALUES (" + String.join(", ", names.stream().map(n -> "s." + n).toList()) + ")";
    }

    /** Upserts the rows (all of one organisation and date); nothing when there are none. */
    static void write(Connection platform, List<DailyRevenue> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement merge = platform.prepareStatement(mergeSql(rows.size()))) {
            int p = 1;
            for (DailyRevenue row : rows) {
                merge.setString(p++, row.organization().id());
                merge.setDate(p++, Date.valueOf(row.date()));
                merge.setString(p++, row.currency());
                for (Column column : AMOUNTS) {
                    // As text: the Trino driver inlines parameters, and 0E-12 is no DECIMAL literal.
                    merge.setString(p++, column.value().apply(row).toPlainString());
                }
            }
            merge.executeUpdate();
        }
    }
}
