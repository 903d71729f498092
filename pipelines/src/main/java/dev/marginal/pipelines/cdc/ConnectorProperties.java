package dev.marginal.pipelines.cdc;

import dev.marginal.pipelines.PipelinesConfig;
import java.util.Properties;

/** The Debezium embedded engine's settings, derived from the pipelines' configuration only. */
public final class ConnectorProperties {

    /** Slot and publication share one name, which the stack and operators look for. */
    public static final String SLOT = "marginal_cdc";
    public static final String PUBLICATION = "marginal_cdc";
    public static final String HEARTBEAT_MESSAGE_PREFIX = "marginal_cdc_heartbeat";
    private static final String OVERRIDE_PREFIX = "debezium.";

    private ConnectorProperties() {
    }

    public static Properties of(PipelinesConfig config) {
        PipelinesConfig.DbAddress db = config.dbAddress();
        Properties p = new Properties();
        p.setProperty("name", "marginal-cdc");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");

        // Kafka's FileOffsetBackingStore, but renaming a complete file into place at every flush.
        p.setProperty("offset.storage", DurableFileOffsetBackingStore.class.getName());
        p.setProperty("offset.storage.file.filename", config.cdcDir().resolve("offsets.dat").toString());
        // Offsets are only written for changes Kafka has acknowledged; flushing them often keeps
        // the redelivery after a crash (absorbed downstream by de-duplication) short.
        p.setProperty("offset.flush.interval.ms", "1000");

        p.setProperty("database.hostname", db.host());
        p.setProperty("database.port", Integer.toString(db.port()));
        p.setProperty("database.dbname", db.database());
        p.setProperty("database.user", config.dbUser());
        p.setProperty("database.password", config.dbPassword());
        p.setProperty("topic.prefix", CdcTables.SERVER_NAME);

        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", SLOT);
        p.setProperty("publication.name", PUBLICATION);
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", CdcTables.includeList());
        // Snapshot the captured tables once (no offsets yet), then stream from the slot.
        p.setProperty("snapshot.mode", "initial");

        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("tombstones.on.delete", "false");
        // While only uncaptured tables change, pgoutput sends nothing and the slot's confirmed
        // position would stay behind, pinning WAL. Each heartbeat writes a tiny logical-decoding
        // message into the WAL; it reaches the connector as a change (acknowledged, never sent
        // to Kafka), so its LSN is confirmed and the slot moves on.
        p.setProperty("heartbeat.interval.ms", "10000");
        p.setProperty("heartbeat.action.query",
                "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_MESSAGE_PREFIX + "', now()::text)");

        // Small, frequent polls: freshness (row visible in Trino within seconds) beats throughput.
        p.setProperty("poll.interval.ms", "100");
        p.setProperty("max.batch.size", "2048");
        p.setProperty("max.queue.size", "8192");

        p.setProperty("converter.schemas.enable", "false");

        // Operators may override any setting with -Ddebezium.<key>=<value> on the runner's JVM.
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith(OVERRIDE_PREFIX)) {
                p.setProperty(k.toString().substring(OVERRIDE_PREFIX.length()), v.toString());
            }
        });
        return p;
    }
}
