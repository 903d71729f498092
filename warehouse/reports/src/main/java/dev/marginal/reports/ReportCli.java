package dev.marginal.reports;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/marginal report [--date D] [--org O] [--out DIR] [--schedule]}. Exit code 0 when every
 * report was written, 2 for a bad argument (nothing is written), 1 when the warehouse or
 * billing-core failed. Connection settings come from the environment the stack sets:
 * MARGINAL_TRINO_URL/_USER/_PASSWORD (the platform user: only it writes), MARGINAL_DB_URL/_USER/_PASSWORD
 * (billing-core, for the organisations), MARGINAL_HOME (files go to $MARGINAL_HOME/reports/daily-revenue).
 */
public final class ReportCli {

    /** When {@code --schedule} runs the report for the day before: half an hour after midnight UTC, once late events are in. */
    static final LocalTime NIGHTLY_AT = LocalTime.of(0, 30);

    private ReportCli() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), Clock.systemUTC()));
    }

    static int run(List<String> args, Map<String, String> env, Clock clock) {
        ReportRequest request;
        NightlyReport report;
        List<Organization> targets;
        try {
            request = ReportRequest.parse(args, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
            report = report(env, request);
            targets = report.resolve(request.organization());
        } catch (ReportRequest.Invalid e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("error: could not read the organisations from billing-core: " + e.getMessage());
            return 1;
        }
        if (!request.schedule()) {
            return once(report, targets, request.date());
        }
        System.out.println("report: every night at " + NIGHTLY_AT + " UTC for the day before (stop with Ctrl-C)");
        while (true) {
            ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
            ZonedDateTime next = now.toLocalDate().atTime(NIGHTLY_AT).atZone(ZoneOffset.UTC);
            if (!next.isAfter(now)) {
                next = next.plusDays(1);
            }
            try {
                Thread.sleep(Duration.between(now, next).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
            try {
                // Organisations created since the last night are included.
                targets = report.resolve(request.organization());
            } catch (Exception e) {
                System.err.println("error: could not read the organisations; retried tomorrow: " + e.getMessage());
                continue;
            }
            once(report, targets, next.toLocalDate().minusDays(1));
        }
    }

    private static int once(NightlyReport report, List<Organization> targets, LocalDate date) {
        try {
            for (NightlyReport.Written written : report.run(targets, date)) {
                System.out.printf("%s %s: %d currency row(s) in reports.daily_revenue; %s%n", date, written.organization().slug(),
                        written.rows().size(), String.join(", ", written.files().stream().map(Path::toString).toList()));
            }
            return 0;
        } catch (Exception e) {
            System.err.println("error: the report for " + date + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static NightlyReport report(Map<String, String> env, ReportRequest request) {
        String trinoUrl = required(env, "MARGINAL_TRINO_URL");
        String trinoUser = env.getOrDefault("MARGINAL_TRINO_USER", "platform");
        String trinoPassword = required(env, "MARGINAL_TRINO_PASSWORD");
        Organizations organizations = new Organizations(required(env, "MARGINAL_DB_URL"),
                env.getOrDefault("MARGINAL_DB_USER", "marginal"), env.getOrDefault("MARGINAL_DB_PASSWORD", ""));
        Path output = request.outputDir().map(Path::of)
                .orElseGet(() -> Path.of(env.getOrDefault("MARGINAL_HOME", ".marginal"), "reports", "daily-revenue"));
        return new NightlyReport(() -> DriverManager.getConnection(trinoUrl, trinoUser, trinoPassword), organizations,
                output.toAbsolutePath());
    }

    private static String required(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalStateException(name + " is not set (bin/marginal report sets it)"));
    }
}
