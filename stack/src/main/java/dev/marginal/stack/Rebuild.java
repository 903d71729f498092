package dev.marginal.stack;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/marginal rebuild}: the warehouse again from PostgreSQL, the source of truth. Everything
 * the pipelines derived goes — their Iceberg tables (every table of schemas {@code raw} and
 * {@code analytics}), the CDC topics and dead letters, the replication slot and the CDC offsets,
 * the Flink job's checkpoints and consumer groups — and the stack starts again: the CDC runner
 * snapshots every captured table, the job writes the tables anew, the day close closes the past
 * days again. What is not derived from PostgreSQL stays: {@code access.analysts} (the analysts'
 * grants), {@code reports.*} and {@code simulations.*} (written by their own commands), billing-core.
 */
final class Rebuild {

    static final List<String> DERIVED_SCHEMAS = List.of("raw", "analytics");

    private Rebuild() {}

    static int run(StackConfig config) {
        Stack stack = new Stack(config);
        for (Service infrastructure : List.of(stack.postgres(), stack.kafka(), stack.trino())) {
            if (!infrastructure.health().up()) {
                throw new StackException(infrastructure.name() + " is not running: start the stack (bin/marginal up) before a rebuild");
            }
        }
        Instant started = Instant.now();
        Progress.say("rebuild: stopping the pipelines (cdc, flink, day-close, maintenance)…");
        for (Service pipeline : List.of(JavaService.cdc(config), JavaService.rawEvents(config), JavaService.dayClose(config),
                JavaService.maintenance(config, ""))) {
            pipeline.stop();
        }
        // The pipelines' own command: it knows their slot, topics, consumer groups and directories.
        if (PipelinesCommand.reset(config) != 0) {
            throw new StackException("resetting the pipelines failed (see above); nothing of the warehouse was dropped");
        }
        List<String> tables = dropDerivedTables(stack.trino());
        Progress.say("rebuild: dropped " + tables.size() + " tables (" + String.join(", ", tables) + "); starting again…");
        stack.up();
        System.out.printf("rebuild started in %d s: the CDC runner is taking a new snapshot of billing-core and the job is"
                + " writing the warehouse again. Run bin/marginal reconcile once `bin/marginal status` shows the"
                + " pipelines caught up.%n", Duration.between(started, Instant.now()).toSeconds());
        return 0;
    }

    /** Every table (not view) of the derived schemas, dropped with its files; `up` declares them again. */
    private static List<String> dropDerivedTables(TrinoServer trino) {
        List<String> tables = new ArrayList<>();
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement()) {
            try (ResultSet rows = sql.executeQuery("SELECT table_schema || '.' || table_name FROM marginal.information_schema.tables"
                    + " WHERE table_type = 'BASE TABLE' AND table_schema IN ('" + String.join("', '", DERIVED_SCHEMAS)
                    + "') ORDER BY 1")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                sql.execute("DROP TABLE marginal." + table);
            }
            return tables;
        } catch (SQLException e) {
            throw new StackException("dropping the warehouse's derived tables failed: " + e.getMessage(), e);
        }
    }
}
