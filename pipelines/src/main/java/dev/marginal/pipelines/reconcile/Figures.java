package dev.marginal.pipelines.reconcile;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** Reads either side's query, whose rows are (organization_id, day, metric, value), into figures. */
final class Figures {

    private Figures() {}

    static Map<Figure, BigDecimal> read(Connection connection, String sql) throws SQLException {
        Map<Figure, BigDecimal> figures = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                Figure figure = new Figure(row.getString(1), row.getDate(2).toLocalDate(), row.getString(3));
                figures.merge(figure, row.getBigDecimal(4), BigDecimal::add);
            }
        }
        return figures;
    }
}
