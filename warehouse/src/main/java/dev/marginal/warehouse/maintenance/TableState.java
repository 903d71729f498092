package dev.marginal.warehouse.maintenance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What maintenance is for, per table: live data files (the current snapshot's {@code $files}) and
 * the age of the oldest snapshot still kept ({@code $snapshots}), as {@code bin/marginal status} shows.
 */
public record TableState(TableName table, long dataFiles, long snapshots, Optional<Duration> oldestSnapshotAge) {

    public static List<TableState> of(Trino trino, List<TableName> tables) throws SQLException {
        List<TableState> states = new ArrayList<>();
        try (Connection connection = trino.open(); Statement sql = connection.createStatement()) {
            for (TableName table : tables) {
                states.add(of(sql, table));
            }
        }
        return states;
    }

    static TableState of(Statement sql, TableName table) throws SQLException {
        long files;
        try (ResultSet r = sql.executeQuery("SELECT count(*) FROM " + table.metadataSql("files") + " WHERE content = 0")) {
            r.next();
            files = r.getLong(1);
        }
        try (ResultSet r = sql.executeQuery("SELECT count(*), date_diff('second', min(committed_at), current_timestamp) FROM "
                + table.metadataSql("snapshots"))) {
            r.next();
            long snapshots = r.getLong(1);
            long ageSeconds = r.getLong(2);
            Optional<Duration> age = r.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(ageSeconds));
            return new TableState(table, files, snapshots, age);
        }
    }

    /** 42s, 17m, 3h05m, 2d04h: short enough for a status line. */
    public static String humanAge(Duration age) {
        long s = age.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86_400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
