package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton's promise: events ingested over HTTP reach Trino through Debezium, Kafka,
 * Flink and Iceberg exactly once, with every field intact.
 */
class IngestToWarehouseIT {

    private static final String ROWS = """
            SELECT id, organization_id, customer_id, external_customer_id, external_id, name,
                   to_iso8601(timestamp) AS ts, metadata, source
            FROM marginal.raw.events WHERE organization_id = ?""";

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    @Test
    void thousandEventsWithDuplicatesArriveInTrinoExactlyOnceFieldByField() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-ingest");
        List<ObjectNode> distinct = distinctEvents(900, new SplittableRandom(42));

        // 1,000 sends in 10 batches of 100: the 900 distinct events, 50 retries repeated inside their
        // own batch and 50 re-sent in a later batch (a client retrying after a timeout).
        List<List<ObjectNode>> batches = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            List<ObjectNode> batch = new ArrayList<>(distinct.subList(b * 90, b * 90 + 90));
            batch.addAll(distinct.subList(b * 90, b * 90 + 5));          // 5 repeats within the batch
            if (b > 0) {
                batch.addAll(distinct.subList((b - 1) * 90 + 10, (b - 1) * 90 + 15)); // 5 from the batch before
            } else {
                batch.addAll(distinct.subList(5, 10));                      // first batch: 5 more in-batch repeats
            }
            batches.add(batch);
        }
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(1_000);

        long inserted = 0;
        long duplicates = 0;
        for (List<ObjectNode> batch : batches) {
            ObjectNode body = BillingApi.JSON.createObjectNode();
            body.putArray("events").addAll(batch);
            BillingApi.Response response = billing.ingest(org.token(), body.toString());
            assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
            inserted += response.body().get("inserted").asLong();
            duplicates += response.body().get("duplicates").asLong();
        }
        assertThat(inserted).isEqualTo(900);
        assertThat(duplicates).isEqualTo(100);

        long arrived = warehouse.awaitCount("SELECT count(*) FROM marginal.raw.events WHERE organization_id = ?",
                org.id(), n -> n >= 900, Duration.ofMinutes(2));
        assertThat(arrived).isEqualTo(900);
        // Give a late duplicate every chance to show up before we say there is none.
        Thread.sleep(5_000);

        Map<String, String> idsInBilling = billingIds(org.id());
        Map<String, ObjectNode> sent = new HashMap<>();
        distinct.forEach(e -> sent.put(e.get("external_id").asText(), e));

        int compared = 0;
        try (Connection trino = stack.trino(); PreparedStatement query = trino.prepareStatement(ROWS)) {
            query.setString(1, org.id());
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    String externalId = row.getString("external_id");
                    ObjectNode expected = sent.remove(externalId);
                    assertThat(expected).as("unexpected or duplicated external_id %s", externalId).isNotNull();
                    assertThat(row.getString("id")).isEqualTo(idsInBilling.get(externalId));
                    assertThat(row.getString("organization_id")).isEqualTo(org.id());
                    assertThat(row.getString("name")).isEqualTo(expected.get("name").asText());
                    assertThat(row.getString("external_customer_id")).isEqualTo(text(expected, "external_customer_id"));
                    assertThat(row.getString("customer_id")).isEqualTo(text(expected, "customer_id"));
                    assertThat(row.getString("source")).isEqualTo("user");
                    assertThat(Instant.parse(row.getString("ts"))).isEqualTo(Instant.parse(expected.get("timestamp").asText()));
                    JsonNode metadata = BillingApi.JSON.readTree(row.getString("metadata"));
                    assertThat(sameJson(metadata, expected.get("metadata")))
                            .as("metadata of %s: %s vs %s", externalId, metadata, expected.get("metadata")).isTrue();
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(900);
        assertThat(sent).as("events missing from Trino").isEmpty();
    }

    /** Events as varied as real traffic: both customer keys, sub-cent costs, unicode, several days. */
    private static List<ObjectNode> distinctEvents(int count, SplittableRandom random) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(3, ChronoUnit.DAYS);
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode event = BillingApi.JSON.createObjectNode();
            event.put("name", i % 7 == 0 ? "résumé.génération ✓" : "chat.completion");
            if (i % 5 == 0) {
                event.put("customer_id", UUID.nameUUIDFromBytes(("customer-" + i % 11).getBytes()).toString());
            } else {
                event.put("external_customer_id", "customer-" + i % 13);
            }
            event.put("external_id", "e2e-" + i + "-" + UUID.randomUUID());
            // Microsecond timestamps spread over three days, so several day partitions get rows.
            Instant at = base.plus(random.nextLong(3L * 24 * 3600 * 1_000_000), ChronoUnit.MICROS);
            event.put("timestamp", at.toString());
            ObjectNode metadata = event.putObject("metadata");
            if (i % 3 != 0) {
                ObjectNode llm = metadata.putObject("_llm");
                llm.put("vendor", "anthropic").put("model", "claude-sonnet-4-5");
                long input = random.nextLong(1, 50_000);
                long output = random.nextLong(1, 5_000);
                llm.put("input_tokens", input).put("output_tokens", output).put("total_tokens", input + output);
                metadata.putObject("_cost")
                        .put("amount", new BigDecimal(random.nextLong(1, 10_000_000_000L)).movePointLeft(12))
                        .put("currency", "usd");
            }
            metadata.put("feature", i % 2 == 0 ? "chat" : "search");
            ArrayNode tags = metadata.putArray("tags");
            tags.add("t" + (i % 4));
            events.add(event);
        }
        return events;
    }

    private Map<String, String> billingIds(String organizationId) throws Exception {
        Map<String, String> ids = new HashMap<>();
        try (Connection db = stack.billingDatabase();
             PreparedStatement query = db.prepareStatement(
                     "SELECT external_id, id::text FROM events WHERE organization_id = ?::uuid")) {
            query.setString(1, organizationId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    ids.put(row.getString(1), row.getString(2));
                }
            }
        }
        assertThat(ids).hasSize(900);
        return ids;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    /** JSON equality where 0.10 and 0.1 are the same number (PostgreSQL's jsonb keeps numbers, not their spelling). */
    static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> {
            if (x.isNumber() && y.isNumber()) {
                return x.decimalValue().compareTo(y.decimalValue()) == 0 ? 0 : 1;
            }
            return x.equals(y) ? 0 : 1;
        }, b);
    }
}
