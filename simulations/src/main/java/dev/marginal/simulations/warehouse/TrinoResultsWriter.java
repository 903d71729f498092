package dev.marginal.simulations.warehouse;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.optimiser.OptimiserResult;

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
        write(runId, scenarioFile, result, null, from, to, createdAt);
    }

    /**
     * With an optimiser result: every candidate's summary, and the chosen candidate's customer
     * results beside the variants' (its {@code scenario} is the candidate's name).
     */
    public void write(String runId, String scenarioFile, SimulationResult result, OptimiserResult optimiser,
                      LocalDate from, LocalDate to, Instant createdAt) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : ResultsSql.CREATE_TABLES) {
                statement.execute(ddl);
            }
            for (String ddl : ResultsSql.ADD_COLUMNS) {
                statement.execute(ddl);
            }
            try {
                sql.customerResults(runId, result, insert -> execute(statement, insert));
                if (optimiser != null && optimiser.chosenResult() != null) {
                    sql.customerResults(runId, optimiser.chosenResult(), false, insert -> execute(statement, insert));
                }
            } catch (UncheckedSql e) {
                throw e.getCause();
            }
            for (String insert : sql.summaries(runId, result, optimiser)) {
                statement.execute(insert);
            }
            statement.execute(sql.run(runId, scenarioFile, result, optimiser, from, to, createdAt));
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
