package dev.marginal.pipelines.cdc;

import java.util.List;
import java.util.Optional;

/**
 * Which tables of the {@code marginal} database are captured, and the Kafka topic each one feeds.
 * Grow {@link #CAPTURED} to capture another table: the publication, the include list and the
 * topics all follow from it.
 */
public final class CdcTables {

    /**
     * Schema-qualified names, as Debezium's {@code table.include.list} wants them: billing-core's
     * usage tables (V1–V5), the billing tables revenue is computed from (V6–V9) with each
     * subscription's lifecycle history ({@code subscription_events}, append-only), refunds,
     * disputes, payouts, discounts and the reference tables of tax rates and FX rates (V11–V17;
     * the last two belong to no organisation, so only the platform reads their mirrors). A listed table that does not exist yet is harmless: Debezium
     * (publication mode {@code filtered}) publishes the listed tables that exist when the runner
     * starts, and adds the others to the publication at the first start after they appear. Their
     * rows from before that start are not snapshotted (the initial snapshot is over): capturing a
     * table that already holds rows needs an incremental snapshot (Debezium signal), see README.
     */
    public static final List<String> CAPTURED = List.of(
            "public.events",
            "public.customers",
            "public.meters",
            "public.model_prices",
            "public.products",
            "public.product_prices",
            "public.subscriptions",
            "public.subscription_events",
            "public.orders",
            "public.order_items",
            "public.payments",
            "public.transactions",
            "public.refunds",
            "public.disputes",
            "public.payouts",
            "public.discounts",
            "public.tax_rates",
            "public.fx_rates");

    /**
     * The key of a row of a table whose primary key is not one {@code id} column: its key columns,
     * joined by {@code /} in this order ({@code raw.cdc_changes.id}).
     */
    public static final java.util.Map<String, List<String>> COMPOSITE_KEYS = java.util.Map.of(
            "fx_rates", List.of("base_currency", "quote_currency", "rate_date"));

    /**
     * The captured tables other than {@code events}: the {@code raw-events} job mirrors their
     * changes into {@code raw.cdc_changes}, and computes revenue from orders, items and the ledger.
     */
    public static List<String> billingTopics() {
        return CAPTURED.stream().filter(t -> !t.equals("public.events")).map(CdcTables::topicFor).toList();
    }

    public static final String TOPIC_PREFIX = "marginal.cdc.";

    /** Debezium's logical server name; its own topic names are {@code marginal.<schema>.<table>}. */
    public static final String SERVER_NAME = "marginal";

    private CdcTables() {
    }

    public static String includeList() {
        return String.join(",", CAPTURED);
    }

    public static String topicFor(String qualifiedTable) {
        return TOPIC_PREFIX + qualifiedTable.substring(qualifiedTable.indexOf('.') + 1);
    }

    public static List<String> topics() {
        return CAPTURED.stream().map(CdcTables::topicFor).toList();
    }

    /**
     * Maps Debezium's destination ({@code marginal.public.events}) to our topic
     * ({@code marginal.cdc.events}); empty for anything that is not a captured table's change,
     * such as heartbeats ({@code __debezium-heartbeat.marginal}).
     */
    public static Optional<String> topicForDestination(String destination) {
        if (destination == null || !destination.startsWith(SERVER_NAME + ".")) {
            return Optional.empty();
        }
        String qualifiedTable = destination.substring(SERVER_NAME.length() + 1);
        return CAPTURED.contains(qualifiedTable) ? Optional.of(topicFor(qualifiedTable)) : Optional.empty();
    }
}
