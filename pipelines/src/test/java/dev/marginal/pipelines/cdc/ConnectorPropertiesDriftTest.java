package dev.marginal.pipelines.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marginal.pipelines.PipelinesConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded runner and {@code deploy/kafka-connect/marginal-cdc.json} are one connector
 * configuration in two forms; this test fails as soon as they disagree.
 */
class ConnectorPropertiesDriftTest {

    static final Path CONNECT_JSON = Path.of("..", "deploy", "kafka-connect", "marginal-cdc.json");

    /** Settings only the embedded engine has: Connect keeps offsets in a topic and names converters per side. */
    static final Set<String> EMBEDDED_ONLY = Set.of(
            "name", "offset.storage", "offset.storage.file.filename", "offset.flush.interval.ms", "converter.schemas.enable");

    /** Where the database is differs per deployment: the JSON takes these from the worker's environment. */
    static final Set<String> PER_DEPLOYMENT = Set.of(
            "database.hostname", "database.port", "database.dbname", "database.user", "database.password");

    static Map<String, String> connect;
    static String connectorName;
    static Properties embedded;

    @BeforeAll
    static void load() throws Exception {
        JsonNode json = new ObjectMapper().readTree(Files.readString(CONNECT_JSON));
        connectorName = json.path("name").asText();
        connect = new HashMap<>();
        json.path("config").fields().forEachRemaining(e -> connect.put(e.getKey(), e.getValue().asText()));
        embedded = ConnectorProperties.of(PipelinesConfig.from(Map.of()));
    }

    @Test
    void everyEmbeddedSettingIsInTheConnectorWithTheSameValue() {
        for (String key : embedded.stringPropertyNames()) {
            if (EMBEDDED_ONLY.contains(key)) {
                continue;
            }
            assertThat(connect).as("marginal-cdc.json must set %s", key).containsKey(key);
            if (PER_DEPLOYMENT.contains(key)) {
                assertThat(connect.get(key)).as(key).matches("\\$\\{env:MARGINAL_DB_[A-Z]+}");
            } else {
                assertThat(connect.get(key)).as(key).isEqualTo(embedded.getProperty(key));
            }
        }
    }

    @Test
    void debeziumSettingsOnlyInTheConnectorAreConnectPlumbing() {
        for (String key : connect.keySet()) {
            if (!embedded.containsKey(key)) {
                assertThat(key).as("a Debezium setting only in marginal-cdc.json belongs in ConnectorProperties too")
                        .matches("tasks\\.max|(key|value)\\.converter.*|transforms.*|producer\\.override\\..*");
            }
        }
    }

    @Test
    void theConnectorHasTheRunnersNameAndWritesJsonWithoutSchemas() {
        assertThat(connectorName).isEqualTo(embedded.getProperty("name"));
        assertThat(connect.get("value.converter")).isEqualTo("org.apache.kafka.connect.json.JsonConverter");
        assertThat(connect.get("key.converter")).isEqualTo("org.apache.kafka.connect.json.JsonConverter");
        assertThat(connect.get("value.converter.schemas.enable")).isEqualTo(embedded.getProperty("converter.schemas.enable"));
        assertThat(connect.get("key.converter.schemas.enable")).isEqualTo(embedded.getProperty("converter.schemas.enable"));
    }

    /** Kafka's RegexRouter: a full match of the topic is replaced, anything else keeps its name. */
    @Test
    void theRouteSendsEachCapturedTableToTheRunnersTopicAndNothingElse() {
        assertThat(connect.get("transforms")).isEqualTo("route");
        assertThat(connect.get("transforms.route.type")).isEqualTo("org.apache.kafka.connect.transforms.RegexRouter");
        Pattern regex = Pattern.compile(connect.get("transforms.route.regex"));
        String replacement = connect.get("transforms.route.replacement");
        for (String table : CdcTables.CAPTURED) {
            String debeziumTopic = CdcTables.SERVER_NAME + "." + table;
            Matcher m = regex.matcher(debeziumTopic);
            assertThat(m.matches()).as("route matches %s", debeziumTopic).isTrue();
            assertThat(m.replaceFirst(replacement)).isEqualTo(CdcTables.topicFor(table));
        }
        assertThat(regex.matcher("__debezium-heartbeat.marginal").matches()).isFalse();
    }

    @Test
    void theProducerIsAsSafeAsTheRunners() {
        Properties runner = CdcRunner.producerProperties(PipelinesConfig.from(Map.of()));
        for (String key : Set.of("acks", "enable.idempotence", "compression.type")) {
            assertThat(connect.get("producer.override." + key)).as(key).isEqualTo(runner.get(key).toString());
        }
    }
}
