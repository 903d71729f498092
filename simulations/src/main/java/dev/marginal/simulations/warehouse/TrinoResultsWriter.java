package dev.marginal.simulations.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

import dev.marginal.simulations.engine.SimulationResult;

/** Writes a run to {@code marginal.simulations} through Trino: tables if missing, results, then the run row. */
public final class TrinoResultsWriter {

    /** Rows per INSERT: large enough to amortise an Iceberg commit, small enough for Trino's query text limits. */
    public static final int BATCH = 1_000;

    private final Connection connection;
    private final ResultsSql sql = new ResultsSql(BATCH);

    public TrinoResultsWriter(Connection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    public void write(String runId, String scenarioFile, SimulationResult result, LocalDate from, LocalDate to,
                      Instant createdAt) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : ResultsSql.CREATE_TABLES) {
                statement.execute(ddl);
            }
            try {
                sql.customerResults(runId, result, insert -> execute(statement, insert));
            } catch (UncheckedSql e) {
                throw e.getCause();
            }
            for (String insert : sql.summaries(runId, result)) {
                statement.execute(insert);
            }
            statement.execute(sql.run(runId, scenarioFile, result, from, to, createdAt));
        }
    }

    private static void execute(Statement statement, String sql) {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new UncheckedSql(e);
        }
    }

    private static final class UncheckedSql extends RuntimeException {
        UncheckedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

}
