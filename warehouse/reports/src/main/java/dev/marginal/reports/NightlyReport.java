package dev.marginal.reports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The nightly revenue report: for each organisation, its figures of the report date, the day before
 * and the month to date, per currency, written to {@code reports.daily_revenue} and to an HTML and a
 * CSV file. Organisations are resolved before anything is read, so an unknown one writes nothing.
 */
final class NightlyReport {

    /** Opens a Trino connection as a user that may write {@code reports} (the platform user). */
    interface Trino {
        Connection connect() throws SQLException;
    }

    /** What one organisation's report wrote. */
    record Written(Organization organization, List<DailyRevenue> rows, List<Path> files) {}

    private final Trino trino;
    private final Organizations organizations;
    private final Path outputRoot;

    NightlyReport(Trino trino, Organizations organizations, Path outputRoot) {
        this.trino = trino;
        this.organizations = organizations;
        this.outputRoot = outputRoot;
    }

    /** Every organisation, or the one named by id or slug; an unknown name is an invalid request. */
    List<Organization> resolve(Optional<String> idOrSlug) throws ReportRequest.Invalid, SQLException {
        if (idOrSlug.isEmpty()) {
            return organizations.all();
        }
        List<Organization> found = organizations.byIdOrSlug(idOrSlug.get());
        if (found.isEmpty()) {
            throw new ReportRequest.Invalid("--org: no organisation with id or slug '" + idOrSlug.get() + "' in billing-core");
        }
        return found;
    }

    List<Written> run(List<Organization> targets, LocalDate date) throws SQLException, IOException {
        List<Written> written = new ArrayList<>();
        try (Connection connection = trino.connect()) {
            ensureTable(connection);
            FiguresReader reader = new FiguresReader(connection);
            for (Organization organization : targets) {
                List<DailyRevenue> rows = rows(reader, organization, date);
                DailyRevenueTable.write(connection, rows);
                written.add(new Written(organization, rows, ReportFiles.write(outputRoot, organization, date, rows)));
            }
        }
        return written;
    }

    static List<DailyRevenue> rows(FiguresReader reader, Organization organization, LocalDate date) throws SQLException {
        Map<String, Figures> day = reader.read(organization.id(), date, date);
        Map<String, Figures> previous = reader.read(organization.id(), date.minusDays(1), date.minusDays(1));
        Map<String, Figures> monthToDate = reader.read(organization.id(), date.withDayOfMonth(1), date);
        // A currency seen earlier in the month gets a row (of zeros today) so month to date is never lost.
        TreeSet<String> currencies = new TreeSet<>(day.keySet());
        currencies.addAll(previous.keySet());
        currencies.addAll(monthToDate.keySet());
        List<DailyRevenue> rows = new ArrayList<>();
        for (String currency : currencies) {
            rows.add(new DailyRevenue(organization, date, currency, day.getOrDefault(currency, Figures.ZERO),
                    previous.getOrDefault(currency, Figures.ZERO), monthToDate.getOrDefault(currency, Figures.ZERO)));
        }
        return rows;
    }

    /** The table's definition is the warehouse's sql/reports.sql, which `up` applies too; idempotent. */
    private static void ensureTable(Connection connection) throws SQLException, IOException {
        try (InputStream in = NightlyReport.class.getResourceAsStream("/sql/reports.sql");
             Statement sql = connection.createStatement()) {
            if (in == null) {
                throw new IOException("sql/reports.sql is not on the classpath (marginal-warehouse jar)");
            }
            StringBuilder statement = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.strip().startsWith("--")) {
                    statement.append(line).append('\n');
                }
            }
            sql.execute(statement.toString().strip().replaceAll(";$", ""));
        }
    }
}
