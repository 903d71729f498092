package dev.marginal.pipelines.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.PipelinesConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConnectorPropertiesTest {

    static final PipelinesConfig CONFIG = PipelinesConfig.from(Map.of(
            "MARGINAL_HOME", "/srv/marginal",
            "MARGINAL_DB_URL", "jdbc:postgresql://db.internal:6543/marginal?sslmode=disable",
            "MARGINAL_DB_USER", "cdc",
            "MARGINAL_DB_PASSWORD", "secret"));

    @Test
    void streamsBillingCoreTablesThroughPgoutputWithOffsetsUnderMarginalHome() {
        Properties p = ConnectorProperties.of(CONFIG);

        assertThat(p.getProperty("plugin.name")).isEqualTo("pgoutput");
        assertThat(p.getProperty("slot.name")).isEqualTo("marginal_cdc");
        assertThat(p.getProperty("publication.name")).isEqualTo("marginal_cdc");
        assertThat(p.getProperty("publication.autocreate.mode")).isEqualTo("filtered");
        assertThat(p.getProperty("table.include.list")).isEqualTo("public.events,public.customers,public.meters,public.model_prices,"
                + "public.products,public.product_prices,public.subscriptions,public.subscription_events,public.orders,public.order_items,"
                + "public.payments,public.transactions,public.refunds,public.disputes,public.payouts,public.discounts,"
                + "public.tax_rates,public.fx_rates");
        assertThat(p.getProperty("snapshot.mode")).isEqualTo("initial");
        assertThat(p.getProperty("decimal.handling.mode")).isEqualTo("string");
        assertThat(p.getProperty("converter.schemas.enable")).isEqualTo("false");
        assertThat(p.getProperty("heartbeat.interval.ms")).isEqualTo("10000");
        assertThat(p.getProperty("heartbeat.action.query")).startsWith("SELECT pg_logical_emit_message(false,");
        assertThat(p.getProperty("offset.storage.file.filename")).isEqualTo("/srv/marginal/cdc/offsets.dat");
    }

    @Test
    void theDatabaseComesFromTheJdbcUrl() {
        Properties p = ConnectorProperties.of(CONFIG);

        assertThat(p.getProperty("database.hostname")).isEqualTo("db.internal");
        assertThat(p.getProperty("database.port")).isEqualTo("6543");
        assertThat(p.getProperty("database.dbname")).isEqualTo("marginal");
        assertThat(p.getProperty("database.user")).isEqualTo("cdc");
    }

    @Test
    void eachCapturedTableHasItsOwnTopic() {
        assertThat(CdcTables.topics()).containsExactly(
                "marginal.cdc.events", "marginal.cdc.customers", "marginal.cdc.meters", "marginal.cdc.model_prices",
                "marginal.cdc.products", "marginal.cdc.product_prices", "marginal.cdc.subscriptions",
                "marginal.cdc.subscription_events", "marginal.cdc.orders",
                "marginal.cdc.order_items", "marginal.cdc.payments", "marginal.cdc.transactions", "marginal.cdc.refunds",
                "marginal.cdc.disputes", "marginal.cdc.payouts", "marginal.cdc.discounts", "marginal.cdc.tax_rates",
                "marginal.cdc.fx_rates");
        assertThat(CdcTables.billingTopics()).doesNotContain("marginal.cdc.events").contains("marginal.cdc.transactions");
        assertThat(CdcTables.topicForDestination("marginal.public.orders")).contains("marginal.cdc.orders");
        assertThat(CdcTables.topicForDestination("marginal.public.model_prices")).contains("marginal.cdc.model_prices");
        assertThat(CdcTables.topicForDestination("marginal.public.events")).contains("marginal.cdc.events");
        assertThat(CdcTables.topicForDestination("marginal.public.ledger_entries")).isEmpty();
        assertThat(CdcTables.topicForDestination("__debezium-heartbeat.marginal")).isEmpty();
    }
}
