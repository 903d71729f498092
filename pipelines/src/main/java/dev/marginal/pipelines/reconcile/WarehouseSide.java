package dev.marginal.pipelines.reconcile;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The same figures as the warehouse shows them through Trino: {@code raw.events},
 * {@code analytics.usage_costs} (the events billing-core accepted before the cutoff, found through
 * their {@code raw.events} rows) and the {@code analytics.model_costs} view analysts query, for
 * closed days only (see {@link Scope#openDayLiteral()}).
 */
final class WarehouseSide {

    private WarehouseSide() {}

    static String sql(Scope scope) {
        String org = scope.organizationId().isPresent() ? " AND organization_id = " + scope.organizationLiteral() : "";
        String days = "day >= " + scope.fromLiteral() + " AND day < " + scope.endLiteral() + org;
        String accepted = days + " AND event_id IN (SELECT id FROM marginal.raw.events WHERE ingested_at < "
                + scope.cutoffLiteral() + org + ")";
        String closedDays = days + " AND day < " + scope.openDayLiteral();
        String eventDay = "CAST(\"timestamp\" AT TIME ZONE 'UTC' AS date)";
        return """
                SELECT organization_id, %1$s AS day, 'events' AS metric, CAST(count(*) AS decimal(38,12)) AS value
                  FROM marginal.raw.events
                  WHERE "timestamp" >= CAST(%2$s AS timestamp(6) with time zone) AT TIME ZONE 'UTC'
                    AND "timestamp" < CAST(%3$s AS timestamp(6) with time zone) AT TIME ZONE 'UTC'%4$s
                    AND ingested_at < %7$s
                  GROUP BY 1, 2
                UNION ALL SELECT organization_id, day, 'cost_rows', CAST(count(*) AS decimal(38,12))
                  FROM marginal.analytics.usage_costs WHERE %5$s GROUP BY 1, 2
                UNION ALL SELECT organization_id, day, 'cost_' || currency, CAST(sum(cost) AS decimal(38,12))
                  FROM marginal.analytics.usage_costs WHERE cost IS NOT NULL AND %5$s GROUP BY 1, 2, 3
                UNION ALL SELECT organization_id, day, 'llm_events', CAST(sum(events) AS decimal(38,12))
                  FROM marginal.analytics.model_costs WHERE %6$s GROUP BY 1, 2
                UNION ALL SELECT organization_id, day, 'llm_cost_' || currency, CAST(sum(cost) AS decimal(38,12))
                  FROM marginal.analytics.model_costs WHERE cost IS NOT NULL AND %6$s GROUP BY 1, 2, 3
                """.formatted(eventDay, scope.fromLiteral(), scope.endLiteral(), org, accepted, closedDays,
                        scope.cutoffLiteral());
    }

    static Map<Figure, BigDecimal> figures(Connection trino, Scope scope) throws SQLException {
        Map<Figure, BigDecimal> figures = Figures.read(trino, sql(scope));
        Figures.read(trino, RevenueFigures.warehouseSql(scope)).forEach((f, v) -> figures.merge(f, v, BigDecimal::add));
        return figures;
    }
}
