package dev.marginal.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.TrinoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly report against a real PostgreSQL (billing-core's organisations, port 22442) and Trino
 * (port 22098). "Now" is 2026-11-21 03:00 UTC, so the default report date is 2026-11-20. The
 * expected figures are worked out next to the facts in {@link SeededRevenue}.
 */
class ReportIT {

    static final int POSTGRES = 22442;
    static final int TRINO = 22098;
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-21T03:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path home;
    static PostgresServer postgres;
    static TrinoServer trino;
    static Map<String, String> env;
    static Path out;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.startForTests(home, POSTGRES);
        trino = TrinoServer.startForTests(home, TRINO, POSTGRES);
        try (Connection billing = postgres.connect("marginal"); Connection platform = trino.connect()) {
            SeededRevenue.seed(billing, platform);
        }
        out = home.resolve("reports");
        env = Map.of("MARGINAL_TRINO_URL", trino.jdbcUrl(), "MARGINAL_TRINO_USER", "platform",
                "MARGINAL_TRINO_PASSWORD", trino.security().password("platform"),
                "MARGINAL_DB_URL", "jdbc:postgresql://127.0.0.1:" + POSTGRES + "/marginal",
                "MARGINAL_DB_USER", PostgresServer.USER, "MARGINAL_DB_PASSWORD", PostgresServer.PASSWORD,
                "MARGINAL_HOME", home.toString());
    }

    @AfterAll
    static void stop() {
        if (trino != null) {
            trino.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void reportForADayHasTheDaysFiguresDayOverDayAndMonthToDateAndARerunKeepsOneSet() throws Exception {
        List<String> args = List.of("--org", "acme", "--out", out.toString());
        assertThat(ReportCli.run(args, env, NOW)).isZero();
        List<String> first = rows("2026-11-20", "11111111-1111-1111-1111-111111111111");
        assertThat(ReportCli.run(args, env, NOW)).isZero();
        assertThat(rows("2026-11-20", "11111111-1111-1111-1111-111111111111")).isEqualTo(first);

        assertThat(first).containsExactly(
                // currency | gross | tax | refunds | disputes | fees | net | billed | recognised | llm cost | fees recognised
                //   | margin | previous net | previous recognised | previous margin | mtd gross | mtd net | mtd recognised
                //   | mtd llm cost | mtd margin
                "eur|8.4|1.4|0|0|0|7|7|7|0|0|7|0|0|0|8.4|7|7|0|7",
                "usd|50.82|7.07|6|2.4|1.16|34.19|35.35|6.350000000001|3.3333|1.16|1.856700000001"
                        + "|9.5|10|5.5|182.82|143.69|116.350000000001|17.3333|97.356700000001");

        Path csv = out.resolve("2026-11-20/acme.csv");
        assertThat(Files.readAllLines(csv)).contains(
                "organization_id,organization,report_date,currency,figure,day,previous_day,day_over_day,month_to_date",
                "11111111-1111-1111-1111-111111111111,acme,2026-11-20,usd,net_revenue,34.19,9.50,24.69,143.69",
                "11111111-1111-1111-1111-111111111111,acme,2026-11-20,usd,margin,1.86,5.50,-3.64,97.36",
                "11111111-1111-1111-1111-111111111111,acme,2026-11-20,usd,recognised,6.35,10.00,-3.65,116.35",
                "11111111-1111-1111-1111-111111111111,acme,2026-11-20,usd,billed,35.35,10.00,25.35,145.35",
                "11111111-1111-1111-1111-111111111111,acme,2026-11-20,eur,gross,8.40,0.00,8.40,8.40");
        String html = Files.readString(out.resolve("2026-11-20/acme.html"));
        assertThat(html).contains("Daily revenue — Acme Robotics",
                "<tr data-figure=\"net_revenue\" class=\"total\"><td>Net revenue</td><td>$34.19</td><td>$9.50</td><td>$24.69</td><td>$143.69</td></tr>",
                "<td>€8.40</td>", "<td class=\"negative\">-$3.64</td>");
        // Only acme was asked for.
        assertThat(Files.exists(out.resolve("2026-11-20/globex.csv"))).isFalse();
    }

    @Test
    void withoutOrgEveryOrganisationGetsItsReportEvenWithoutFigures() throws Exception {
        assertThat(ReportCli.run(List.of("--date", "2026-11-19", "--out", out.toString()), env, NOW)).isZero();
        assertThat(rows("2026-11-19", "11111111-1111-1111-1111-111111111111"))
                .containsExactly("usd|12|2|0|0|0.5|9.5|10|10|4|0.5|5.5|0|0|0|132|109.5|110|14|95.5");
        assertThat(rows("2026-11-19", "22222222-2222-2222-2222-222222222222")).containsExactly(
                "usd|1000|0|0|0|0|1000|1000|1000|0|0|1000|0|0|0|1000|1000|1000|0|1000");
        assertThat(Files.readString(out.resolve("2026-11-19/initech.html"))).contains("id=\"empty\"");
        assertThat(Files.readAllLines(out.resolve("2026-11-19/initech.csv"))).hasSize(1);
    }

    @Test
    void badArgumentsSayWhatIsWrongAndWriteNothing() throws Exception {
        long rowsBefore = count();
        assertThat(ReportCli.run(List.of("--date", "2026-11-18", "--org", "nobody", "--out", out.toString()), env, NOW)).isEqualTo(2);
        assertThat(ReportCli.run(List.of("--date", "2026-11-22", "--out", out.toString()), env, NOW)).isEqualTo(2);
        assertThat(ReportCli.run(List.of("--date", "2026-02-30", "--out", out.toString()), env, NOW)).isEqualTo(2);
        assertThat(ReportCli.run(List.of("--date", "yesterday", "--out", out.toString()), env, NOW)).isEqualTo(2);
        assertThat(count()).isEqualTo(rowsBefore);
        assertThat(out.resolve("2026-11-18")).doesNotExist();
        assertThat(out.resolve("2026-11-22")).doesNotExist();
    }

    private static long count() throws Exception {
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement();
             ResultSet rows = sql.executeQuery("SELECT count(*) FROM marginal.reports.daily_revenue")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The report's rows for a date and organisation, amounts as exact decimals without trailing zeros. */
    private static List<String> rows(String date, String organizationId) throws Exception {
        String[] amounts = {"gross", "tax_collected", "refunds", "disputes", "fees", "net_revenue", "billed", "recognised",
                "llm_cost", "fees_recognised", "margin", "previous_net_revenue", "previous_recognised", "previous_margin",
                "mtd_gross", "mtd_net_revenue", "mtd_recognised", "mtd_llm_cost", "mtd_margin"};
        List<String> found = new ArrayList<>();
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement();
             ResultSet rows = sql.executeQuery("SELECT currency, " + String.join(", ", amounts)
                     + " FROM marginal.reports.daily_revenue WHERE report_date = DATE '" + date + "' AND organization_id = '"
                     + organizationId + "' ORDER BY currency")) {
            while (rows.next()) {
                List<String> values = new ArrayList<>(List.of(rows.getString(1)));
                for (int i = 2; i <= amounts.length + 1; i++) {
                    values.add(rows.getBigDecimal(i).stripTrailingZeros().toPlainString());
                }
                found.add(String.join("|", values));
            }
        }
        return found;
    }
}
