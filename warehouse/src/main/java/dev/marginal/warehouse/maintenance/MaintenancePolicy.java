package dev.marginal.warehouse.maintenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often and how hard the warehouse's Iceberg tables are maintained; read from
 * {@code maintenance.properties} (see the file for each key).
 *
 * @param fileSizeThreshold       Trino data size, e.g. {@code 128MB}: optimize rewrites smaller files
 * @param snapshotRetention       expire_snapshots keeps younger snapshots
 * @param orphanRetention         remove_orphan_files leaves younger unreferenced files alone
 * @param orphanEveryRounds       remove_orphan_files runs in round 0, N, 2N, …
 * @param dayClosedTables         {@code schema.table}s whose past UTC days the pipelines' day close lays
 *                                out; optimize compacts only their current day, so it never undoes that
 */
public record MaintenancePolicy(
        Duration interval,
        String fileSizeThreshold,
        Duration snapshotRetention,
        Duration orphanRetention,
        int orphanEveryRounds,
        List<String> schemas,
        List<TableName> dayClosedTables) {

    static final String PREFIX = "marginal.maintenance.";
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern DATA_SIZE = Pattern.compile("\\d+(B|kB|MB|GB)");
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]*");

    public MaintenancePolicy {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("maintenance interval must be positive: " + interval);
        }
        if (!DATA_SIZE.matcher(fileSizeThreshold).matches()) {
            throw new IllegalArgumentException("optimize.file-size-threshold must look like 128MB: " + fileSizeThreshold);
        }
        if (orphanEveryRounds < 1) {
            throw new IllegalArgumentException("remove-orphan-files.every-rounds must be at least 1: " + orphanEveryRounds);
        }
        for (String schema : schemas) {
            // Schema names go into SQL text: only plain identifiers.
            if (!SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("not a schema name: '" + schema + "'");
            }
        }
        schemas = List.copyOf(schemas);
        dayClosedTables = List.copyOf(dayClosedTables);
    }

    /** The bundled defaults, then {@code $MARGINAL_HOME/maintenance.properties}, then {@code -Dmarginal.maintenance.*}. */
    public static MaintenancePolicy load(Optional<Path> home, Properties systemProperties) {
        Properties merged = new Properties();
        try (InputStream defaults = MaintenancePolicy.class.getResourceAsStream("/maintenance.properties")) {
            if (defaults == null) {
                throw new IllegalStateException("maintenance.properties is not on the classpath (marginal-warehouse jar)");
            }
            merged.load(defaults);
            Optional<Path> local = home.map(h -> h.resolve("maintenance.properties")).filter(Files::isRegularFile);
            if (local.isPresent()) {
                try (Reader reader = Files.newBufferedReader(local.get())) {
                    merged.load(reader);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                merged.setProperty(name.substring(PREFIX.length()), systemProperties.getProperty(name));
            }
        }
        return from(merged);
    }

    static MaintenancePolicy from(Properties p) {
        return new MaintenancePolicy(
                duration(required(p, "interval")),
                required(p, "optimize.file-size-threshold"),
                duration(required(p, "expire-snapshots.retention")),
                duration(required(p, "remove-orphan-files.retention")),
                Integer.parseInt(required(p, "remove-orphan-files.every-rounds")),
                list(required(p, "schemas")),
                list(p.getProperty("optimize.current-day-only", "")).stream().map(MaintenancePolicy::tableName).toList());
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static TableName tableName(String text) {
        String[] parts = text.split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("optimize.current-day-only names schema.table: '" + text + "'");
        }
        return new TableName(parts[0], parts[1]);
    }

    /** Whether optimize leaves this table's past days to the day close. */
    boolean compactsCurrentDayOnly(TableName table) {
        return dayClosedTables.contains(table);
    }

    /** Whether round {@code n} (from 0) removes orphan files. */
    boolean removesOrphansInRound(long round) {
        return round % orphanEveryRounds == 0;
    }

    /** A duration as Trino's procedures take it: whole seconds, e.g. {@code 3600s}. */
    static String trinoDuration(Duration duration) {
        return duration.toSeconds() + "s";
    }

    static Duration duration(String text) {
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        Matcher m = SHORT_DURATION.matcher(t.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (10m, 1h, PT30S): '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("maintenance setting '" + key + "' is missing");
        }
        return value.trim();
    }
}
