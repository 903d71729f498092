package dev.marginal.pipelines.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.flink.DebeziumEventParser.Outcome;
import dev.marginal.pipelines.flink.DebeziumEventParser.Parsed;
import dev.marginal.pipelines.flink.DebeziumEventParser.Rejected;
import dev.marginal.pipelines.flink.DebeziumEventParser.Skipped;
import java.time.Instant;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class DebeziumEventParserTest {

    static final String ID = "0b9d6c1e-6a55-4c3e-9a43-0d3c2a8f4b11";
    static final String ORG = "5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b";
    static final String CUSTOMER = "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d";
    /** billing-core's events.trace_id: the ingest request's W3C trace id, 32 hex digits. */
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    /** What the CDC runner writes for an insert into events (Debezium 3.4, JSON without schemas). */
    static String insert(String op, String after) {
        return """
                {"before":null,"after":%s,
                 "source":{"version":"3.4.3.Final","connector":"postgresql","name":"marginal","ts_ms":1714557600654,
                   "snapshot":"false","db":"marginal","sequence":"[\\"24023928\\",\\"24023928\\"]","ts_us":1714557600654321,
                   "ts_ns":1714557600654321000,"schema":"public","table":"events","txId":743,"lsn":24023928,"xmin":null},
                 "transaction":null,"op":"%s","ts_ms":1714557600701,"ts_us":1714557600701123,"ts_ns":1714557600701123000}
                """.formatted(after, op);
    }

    static String gpt4oCall() {
        return """
                {"id":"%s","organization_id":"%s","customer_id":"%s","external_customer_id":"acme-42",
                 "external_id":"call-0001","name":"llm.completion","timestamp":"2024-05-01T10:00:00.123456Z",
                 "metadata":"{\\"_llm\\": {\\"model\\": \\"gpt-4o\\", \\"input_tokens\\": 1200}, \\"_cost\\": {\\"amount\\": \\"0.000123456789\\", \\"currency\\": \\"usd\\"}}",
                 "source":"user","ingested_at":"2024-05-01T10:00:00.654321Z","trace_id":"%s"}
                """.formatted(ID, ORG, CUSTOMER, TRACE);
    }

    static RawEvent parsed(String json) {
        Outcome outcome = DebeziumEventParser.parse(json);
        assertThat(outcome).isInstanceOf(Parsed.class);
        return ((Parsed) outcome).event();
    }

    static String rejection(String json) {
        Outcome outcome = DebeziumEventParser.parse(json);
        assertThat(outcome).isInstanceOf(Rejected.class);
        return ((Rejected) outcome).reason();
    }

    @Test
    void anLlmCallInsertKeepsEveryFieldAndItsMicroseconds() {
        RawEvent event = parsed(insert("c", gpt4oCall()));

        assertThat(event.id()).isEqualTo(ID);
        assertThat(event.organizationId()).isEqualTo(ORG);
        assertThat(event.customerId()).isEqualTo(CUSTOMER);
        assertThat(event.externalCustomerId()).isEqualTo("acme-42");
        assertThat(event.externalId()).isEqualTo("call-0001");
        assertThat(event.name()).isEqualTo("llm.completion");
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
        assertThat(event.source()).isEqualTo("user");
        assertThat(event.ingestedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00.654321Z"));
        assertThat(event.cdcOp()).isEqualTo("c");
        assertThat(event.cdcLsn()).isEqualTo(24023928L);
        // source.ts_us: the commit time, to the microsecond.
        assertThat(event.cdcTs()).isEqualTo(Instant.parse("2024-05-01T10:00:00.654321Z"));
        assertThat(event.traceId()).isEqualTo(TRACE);
    }

    @Test
    void metadataIsKeptAsThePostgresJsonTextVerbatim() {
        RawEvent event = parsed(insert("c", gpt4oCall()));

        assertThat(event.metadata()).isEqualTo(
                "{\"_llm\": {\"model\": \"gpt-4o\", \"input_tokens\": 1200}, \"_cost\": {\"amount\": \"0.000123456789\", \"currency\": \"usd\"}}");
    }

    @Test
    void anEventOfAnUnknownCustomerHasNullCustomerFields() {
        String after = """
                {"id":"%s","organization_id":"%s","customer_id":null,"external_customer_id":null,
                 "external_id":null,"name":"signup","timestamp":"2024-05-01T00:00:00Z","metadata":"{}",
                 "source":"system","ingested_at":"2024-05-01T00:00:00.5Z"}""".formatted(ID, ORG);

        RawEvent event = parsed(insert("r", after));

        assertThat(event.customerId()).isNull();
        assertThat(event.externalCustomerId()).isNull();
        assertThat(event.externalId()).isNull();
        assertThat(event.metadata()).isEqualTo("{}");
        assertThat(event.cdcOp()).isEqualTo("r");
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(event.ingestedAt()).isEqualTo(Instant.parse("2024-05-01T00:00:00.500Z"));
        // A row without trace_id: written before billing-core's V22 migration, or by its previous release.
        assertThat(event.traceId()).isNull();
    }

    @Test
    void aTraceIdThatIsNotTextIsRejected() {
        assertThat(rejection(insert("c", gpt4oCall().replace("\"" + TRACE + "\"", "42"))))
                .isEqualTo("field 'trace_id' is not a string: 42");
    }

    @Test
    void timestampsWithAnOffsetAreTheSameInstantInUtc() {
        String after = gpt4oCall().replace("2024-05-01T10:00:00.123456Z", "2024-05-01T12:00:00.000001+02:00");

        assertThat(parsed(insert("c", after)).timestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00.000001Z"));
    }

    @Test
    void theRowForIcebergCarriesTheSameMicroseconds() {
        RowData row = parsed(insert("c", gpt4oCall())).toRowData();

        assertThat(row.getArity()).isEqualTo(RawEventsTable.SCHEMA.columns().size());
        assertThat(RawEvent.idOf(row)).isEqualTo(ID);
        assertThat(row.getTimestamp(6, 6).toInstant()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
        // 2024-05-01T10:00:00.654321Z = 1714557600 s + 654321 µs
        assertThat(RawEvent.ingestedAtMicrosOf(row)).isEqualTo(1_714_557_600_654_321L);
        assertThat(row.getLong(11)).isEqualTo(24023928L);
        assertThat(row.getString(RawEventsTable.SCHEMA.columns().indexOf(RawEventsTable.SCHEMA.findField("trace_id"))))
                .hasToString(TRACE);
        assertThat(row.isNullAt(2)).isFalse();
    }

    @Test
    void updatesAndDeletesOfEventsAreRejectedBecauseEventsAreInsertOnly() {
        assertThat(rejection(insert("u", gpt4oCall()))).isEqualTo("unsupported op 'u': events are insert-only");
        assertThat(rejection("""
                {"before":{"id":"%s"},"after":null,"source":{},"op":"d","ts_ms":1}""".formatted(ID)))
                .isEqualTo("unsupported op 'd': events are insert-only");
    }

    @Test
    void poisonRecordsAreRejectedWithAReason() {
        assertThat(rejection("not json at all")).startsWith("not JSON");
        assertThat(rejection("[1,2]")).isEqualTo("not a Debezium envelope: expected a JSON object");
        assertThat(rejection("{\"schema\":{},\"payload\":{}}")).contains("without schemas");
        assertThat(rejection("{\"after\":{}}")).isEqualTo("missing op");
        assertThat(rejection("{\"op\":\"c\",\"after\":null}")).isEqualTo("op 'c' without an 'after' row");
        assertThat(rejection(insert("c", gpt4oCall().replace("\"name\":\"llm.completion\",", ""))))
                .isEqualTo("missing required field 'name'");
        assertThat(rejection(insert("c", gpt4oCall().replace("2024-05-01T10:00:00.123456Z", "yesterday"))))
                .isEqualTo("field 'timestamp' is not an ISO-8601 timestamp with offset: yesterday");
        assertThat(rejection(insert("c", gpt4oCall().replace(ID, "42"))))
                .isEqualTo("field 'id' is not a UUID: 42");
        assertThat(rejection(insert("c", gpt4oCall().replace("\"source\":\"user\"", "\"source\":7"))))
                .isEqualTo("field 'source' is not a string: 7");
    }

    @Test
    void aTombstoneIsSkippedNotRejected() {
        assertThat(DebeziumEventParser.parse(null)).isInstanceOf(Skipped.class);
    }
}
