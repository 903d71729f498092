package dev.marginal.warehouse.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One maintenance round over every Iceberg table of the policy's schemas, through Trino:
 * compaction ({@code optimize}), snapshot expiry and, every Nth round, orphan-file removal.
 *
 * <p>Safe beside the Flink job's appends: each procedure is one Iceberg commit with optimistic
 * concurrency. Appends do not conflict with a rewrite (Iceberg rebases and retries the commit);
 * if a commit still fails, that step is reported as failed and simply runs again next round. A
 * failure never stops the round, the other tables, or the runner.
 */
public final class TableMaintenance {

    public enum Step { OPTIMIZE, EXPIRE_SNAPSHOTS, REMOVE_ORPHAN_FILES }

    /**
     * What happened to one step on one table: {@code failure} is Trino's message; {@code skipped} says
     * why a step was deliberately left out this round (not a failure).
     */
    public record Outcome(TableName table, Step step, Optional<String> failure, Optional<String> skipped) {
        public boolean ok() {
            return failure.isEmpty();
        }

        static Outcome done(TableName table, Step step) {
            return new Outcome(table, step, Optional.empty(), Optional.empty());
        }
    }

    public record Round(long number, List<Outcome> outcomes) {
        public List<Outcome> failures() {
            return outcomes.stream().filter(o -> !o.ok()).toList();
        }
    }

    private final Trino trino;
    private final MaintenancePolicy policy;

    public TableMaintenance(Trino trino, MaintenancePolicy policy) {
        this.trino = trino;
        this.policy = policy;
    }

    /** Every table (not view) in the policy's schemas, in a stable order. */
    public List<TableName> tables() throws SQLException {
        String placeholders = String.join(",", policy.schemas().stream().map(s -> "?").toList());
        List<TableName> tables = new ArrayList<>();
        try (Connection connection = trino.open();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT table_schema, table_name FROM marginal.information_schema.tables"
                             + " WHERE table_type = 'BASE TABLE' AND table_schema IN (" + placeholders + ")"
                             + " ORDER BY table_schema, table_name")) {
            for (int i = 0; i < policy.schemas().size(); i++) {
                query.setString(i + 1, policy.schemas().get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tables.add(new TableName(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return tables;
    }

    /** Round {@code number} (from 0) over every table; listing the tables failing is the only error. */
    public Round run(long number) throws SQLException {
        List<Outcome> outcomes = new ArrayList<>();
        for (TableName table : tables()) {
            outcomes.addAll(maintain(table, number));
        }
        return new Round(number, outcomes);
    }

    /** The steps of one round on one table: compaction first, so expiry can drop the replaced files. */
    public List<Outcome> maintain(TableName table, long round) {
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(step(table, Step.OPTIMIZE, optimize(table, LocalDate.now(ZoneOffset.UTC))));
        Optional<String> keepSnapshots = flinkCheckpointAtRisk(table);
        if (keepSnapshots.isPresent()) {
            outcomes.add(new Outcome(table, Step.EXPIRE_SNAPSHOTS, Optional.empty(), keepSnapshots));
        } else {
            outcomes.add(step(table, Step.EXPIRE_SNAPSHOTS,
                    "expire_snapshots(retention_threshold => '" + MaintenancePolicy.trinoDuration(policy.snapshotRetention()) + "')"));
        }
        if (policy.removesOrphansInRound(round)) {
            outcomes.add(step(table, Step.REMOVE_ORPHAN_FILES,
                    "remove_orphan_files(retention_threshold => '" + MaintenancePolicy.trinoDuration(policy.orphanRetention()) + "')"));
        }
        return outcomes;
    }

    /** Parquet row group size of a day-closed table's compacted current day. */
    static final String CURRENT_DAY_ROW_GROUP = "1MB";

    /** The optimize call for a table; a day-closed table's past days are the day close's (policy). */
    String optimize(TableName table, LocalDate today) {
        String optimize = "optimize(file_size_threshold => '" + policy.fileSizeThreshold() + "')";
        return policy.compactsCurrentDayOnly(table) ? optimize + " WHERE day >= DATE '" + today + "'" : optimize;
    }

    private Outcome step(TableName table, Step step, String procedure) {
        try (Connection connection = trino.open(); Statement sql = connection.createStatement()) {
            if (step == Step.OPTIMIZE && policy.compactsCurrentDayOnly(table)) {
                // Today's files of a day-closed table, compacted in organisation order (the table's
                // sorted_by) into small row groups, so a query for one organisation skips the rest of
                // today too, as it does the closed days' (DayCloser.ROW_GROUP_BYTES).
                sql.execute("SET SESSION marginal.parquet_writer_block_size = '" + CURRENT_DAY_ROW_GROUP + "'");
            }
            sql.execute("ALTER TABLE " + table.sql() + " EXECUTE " + procedure);
            return Outcome.done(table, step);
        } catch (SQLException e) {
            return new Outcome(table, step, Optional.of(String.valueOf(e.getMessage())), Optional.empty());
        }
    }

    /**
     * The Flink sink finds the last checkpoint it committed by walking back from the current snapshot
     * to the newest one carrying {@code flink.max-committed-checkpoint-id}. If that snapshot were
     * expired (the job stopped for longer than the retention while compactions kept adding
     * snapshots), a restored job would commit its last checkpoint's files a second time. So expiry
     * waits while the newest Flink commit is older than half the retention; a running job commits
     * at least every 5 minutes even when idle (its flink.max-continuous-empty-commits), so this only
     * holds back tables of a stopped job.
     */
    private Optional<String> flinkCheckpointAtRisk(TableName table) {
        try (Connection connection = trino.open(); Statement sql = connection.createStatement();
             ResultSet r = sql.executeQuery("SELECT date_diff('second', max(committed_at), current_timestamp) FROM "
                     + table.metadataSql("snapshots") + " WHERE element_at(summary, 'flink.max-committed-checkpoint-id') IS NOT NULL")) {
            r.next();
            long seconds = r.getLong(1);
            Optional<Duration> age = r.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
            return expiryWouldHideFlinkCheckpoint(age, policy.snapshotRetention())
                    ? Optional.of("newest Flink commit is " + age.get().toMinutes() + " min old; kept until the job commits again")
                    : Optional.empty();
        } catch (SQLException e) {
            return Optional.of("could not read $snapshots: " + e.getMessage());
        }
    }

    static boolean expiryWouldHideFlinkCheckpoint(Optional<Duration> newestFlinkCommitAge, Duration retention) {
        return newestFlinkCommitAge.map(age -> age.compareTo(retention.dividedBy(2)) > 0).orElse(false);
    }
}
