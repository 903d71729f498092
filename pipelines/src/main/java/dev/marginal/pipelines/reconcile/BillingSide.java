package dev.marginal.pipelines.reconcile;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The figures as billing-core, the source of truth, has them (PostgreSQL {@code marginal}).
 *
 * <p>An event's cost is the one billing-core recorded ({@code cost_amount}, cents, up to 12
 * decimals), else its own {@code _cost}, exactly as the pipelines choose it; the warehouse keeps
 * dollars to 12 decimals, so each event's cents / 100 is rounded half-even to 12 decimals here, as
 * the pipelines round it, before it is summed.
 */
final class BillingSide {

    private BillingSide() {}

    static String sql(Scope scope) {
        String org = scope.organizationId().isPresent()
                ? " AND organization_id = " + scope.organizationLiteral() + "::uuid" : "";
        return """
                WITH e AS (
                  SELECT organization_id::text AS org,
                         (timestamp AT TIME ZONE 'UTC')::date AS day,
                         coalesce(cost_amount,
                                  CASE WHEN jsonb_typeof(metadata -> '_cost' -> 'amount') IN ('number', 'string')
                                       THEN (metadata -> '_cost' ->> 'amount')::numeric END) / 100 AS dollars,
                         lower(coalesce(cost_currency, metadata -> '_cost' ->> 'currency')) AS currency,
                         (metadata -> '_llm' ->> 'vendor') IS NOT NULL AND (metadata -> '_llm' ->> 'model') IS NOT NULL AS llm
                  FROM events
                  WHERE timestamp >= %1$s AT TIME ZONE 'UTC' AND timestamp < %2$s AT TIME ZONE 'UTC'%3$s
                    AND ingested_at < %4$s
                ), priced AS (
                  SELECT org, day, currency, llm,
                         (trunc(dollars * 1000000000000)
                          + CASE WHEN dollars * 1000000000000 - trunc(dollars * 1000000000000) > 0.5
                                   OR (dollars * 1000000000000 - trunc(dollars * 1000000000000) = 0.5
                                       AND mod(trunc(dollars * 1000000000000), 2) = 1)
                                 THEN 1 ELSE 0 END) / 1000000000000 AS cost
                  FROM e WHERE dollars IS NOT NULL AND currency IS NOT NULL
                )
                SELECT org, day, 'events' AS metric, count(*)::numeric AS value FROM e GROUP BY org, day
                UNION ALL SELECT org, day, 'cost_rows', count(*) FROM e GROUP BY org, day
                UNION ALL SELECT org, day, 'llm_events', count(*) FROM e WHERE llm AND day < %5$s GROUP BY org, day
                UNION ALL SELECT org, day, 'cost_' || currency, sum(cost) FROM priced GROUP BY org, day, currency
                UNION ALL SELECT org, day, 'llm_cost_' || currency, sum(cost) FROM priced WHERE llm AND day < %5$s GROUP BY org, day, currency
                """.formatted(scope.fromLiteral(), scope.endLiteral(), org,
                        scope.cutoffLiteral().replace("TIMESTAMP ", "") + "::timestamptz", scope.openDayLiteral());
    }

    static Map<Figure, BigDecimal> figures(Connection billing, Scope scope) throws SQLException {
        Map<Figure, BigDecimal> figures = Figures.read(billing, sql(scope));
        Figures.read(billing, RevenueFigures.billingSql(scope)).forEach((f, v) -> figures.merge(f, v, BigDecimal::add));
        return figures;
    }
}
