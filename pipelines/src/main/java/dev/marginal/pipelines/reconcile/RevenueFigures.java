package dev.marginal.pipelines.reconcile;

import java.util.Comparator;
import java.util.Currency;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The revenue figures both sides must agree on, per organisation, booked UTC day and currency:
 * {@code revenue_<cur>} (paid orders' net: lines less discount, tax excluded), {@code order_tax_<cur>},
 * {@code fees_<cur>} (processor, platform and dispute fees the merchant paid) and {@code restated_<cur>}
 * (refunds, disputes and their reversals, tax included, as the ledger moved them between the customer and the merchant and tax authority). The warehouse
 * spreads subscription fees over their days; summed per booked day they must give back exactly
 * what billing-core booked, so a lost, doubled or mis-split cent shows here.
 */
final class RevenueFigures {

    static final String ORDER_FACTS = "'subscription', 'usage', 'one_time'";
    static final String FEE_TYPES = "'processor_fee', 'platform_fee', 'dispute_fee'";
    static final String RESTATING_TYPES = "'refund', 'refund_reversal', 'dispute', 'dispute_reversal'";

    private RevenueFigures() {}

    /**
     * Minor units per major unit of a lower-case currency column, as SQL valid in PostgreSQL and
     * Trino: from the JDK's ISO-4217 table (the pricing engine's {@code Money} uses the same).
     */
    static String unitsPerMajor(String column) {
        String cases = Currency.getAvailableCurrencies().stream()
                .filter(c -> c.getDefaultFractionDigits() >= 0 && c.getDefaultFractionDigits() != 2)
                .sorted(Comparator.comparing(Currency::getCurrencyCode))
                .map(c -> " WHEN '" + c.getCurrencyCode().toLowerCase(Locale.ROOT) + "' THEN "
                        + java.math.BigInteger.TEN.pow(c.getDefaultFractionDigits()))
                .collect(Collectors.joining());
        return "(CASE " + column + cases + " ELSE 100 END)";
    }

    static String billingSql(Scope scope) {
        String org = scope.organizationId().isPresent() ? " AND organization_id = " + scope.organizationLiteral() + "::uuid" : "";
        String range = "created_at >= %1$s AT TIME ZONE 'UTC' AND created_at < %2$s AT TIME ZONE 'UTC' AND created_at < %3$s%4$s"
                .formatted(scope.fromLiteral(), scope.endLiteral(), scope.cutoffLiteral().replace("TIMESTAMP ", "") + "::timestamptz", org);
        String units = unitsPerMajor("currency");
        return """
                WITH o AS (
                  SELECT organization_id::text AS org, (created_at AT TIME ZONE 'UTC')::date AS day, currency,
                         net_amount::numeric / %1$s AS net, tax_amount::numeric / %1$s AS tax
                  FROM orders WHERE status IN ('paid', 'partially_refunded', 'refunded') AND %2$s
                ), l AS (
                  SELECT organization_id::text AS org, (created_at AT TIME ZONE 'UTC')::date AS day, currency, type,
                         account LIKE 'tax:%%' AS authority, amount::numeric / %1$s AS amount
                  FROM transactions
                  WHERE (account = 'merchant:' || organization_id OR account LIKE 'tax:%%') AND order_id IS NOT NULL
                    AND %2$s
                )
                SELECT org, day, 'revenue_' || currency AS metric, sum(net) AS value FROM o GROUP BY 1, 2, 3
                UNION ALL SELECT org, day, 'order_tax_' || currency, sum(tax) FROM o GROUP BY 1, 2, 3
                UNION ALL SELECT org, day, 'fees_' || currency, -sum(amount) FROM l WHERE type IN (%3$s) AND NOT authority GROUP BY 1, 2, 3
                UNION ALL SELECT org, day, 'restated_' || currency, sum(amount) FROM l WHERE type IN (%4$s) GROUP BY 1, 2, 3
                """.formatted(units, range, FEE_TYPES, RESTATING_TYPES);
    }

    static String warehouseSql(Scope scope) {
        String org = scope.organizationId().isPresent() ? " AND organization_id = " + scope.organizationLiteral() : "";
        String range = ("booked_at >= CAST(%1$s AS timestamp(6) with time zone) AT TIME ZONE 'UTC'"
                + " AND booked_at < CAST(%2$s AS timestamp(6) with time zone) AT TIME ZONE 'UTC' AND booked_at < %3$s%4$s")
                .formatted(scope.fromLiteral(), scope.endLiteral(), scope.cutoffLiteral(), org);
        String bookedDay = "CAST(booked_at AT TIME ZONE 'UTC' AS date)";
        return """
                SELECT organization_id, %1$s AS day, 'revenue_' || currency AS metric, CAST(sum(revenue) AS decimal(38,12)) AS value
                  FROM marginal.analytics.revenue_facts WHERE fact_type IN (%3$s) AND %2$s GROUP BY 1, 2, 3
                UNION ALL SELECT organization_id, %1$s, 'order_tax_' || currency, CAST(sum(tax) AS decimal(38,12))
                  FROM marginal.analytics.revenue_facts WHERE fact_type IN (%3$s) AND %2$s GROUP BY 1, 2, 3
                UNION ALL SELECT organization_id, %1$s, 'fees_' || currency, CAST(sum(fees) AS decimal(38,12))
                  FROM marginal.analytics.revenue_facts WHERE fact_type = 'fee' AND %2$s GROUP BY 1, 2, 3
                UNION ALL SELECT organization_id, %1$s, 'restated_' || currency, CAST(sum(revenue + tax) AS decimal(38,12))
                  FROM marginal.analytics.revenue_facts WHERE fact_type IN (%4$s) AND %2$s GROUP BY 1, 2, 3
                """.formatted(bookedDay, range, ORDER_FACTS, RESTATING_TYPES);
    }
}
