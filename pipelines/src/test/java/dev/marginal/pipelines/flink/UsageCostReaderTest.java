package dev.marginal.pipelines.flink;

import static dev.marginal.pipelines.flink.DebeziumEventParserTest.insert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.flink.DebeziumEventParser.Parsed;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class UsageCostReaderTest {

    static final String ORG = DebeziumEventParserTest.ORG;

    /** An events row as billing-core writes it since V3; {@code costColumns} is spliced in verbatim ("" = a pre-V3 database). */
    static String row(String timestamp, String metadataJson, String costColumns) {
        return """
                {"id":"0b9d6c1e-6a55-4c3e-9a43-0d3c2a8f4b11","organization_id":"%s","customer_id":null,
                 "external_customer_id":"acme-42","external_id":"call-1","name":"chat.reply","timestamp":"%s",
                 "metadata":%s,"source":"user","ingested_at":"2024-05-01T10:00:01Z"%s}
                """.formatted(ORG, timestamp, quoted(metadataJson), costColumns.isEmpty() ? "" : "," + costColumns);
    }

    static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static Parsed parse(String after) {
        DebeziumEventParser.Outcome outcome = DebeziumEventParser.parse(insert("c", after));
        assertThat(outcome).isInstanceOf(Parsed.class);
        return (Parsed) outcome;
    }

    static UsageCost cost(String after) {
        Parsed parsed = parse(after);
        assertThat(parsed.costProblem()).isNull();
        return parsed.cost();
    }

    static final String CLAUDE_CALL = """
            {"_llm": {"vendor": "Anthropic", "model": "Claude-Sonnet-4-5 ", "input_tokens": 12000,
                      "cached_input_tokens": 8000, "output_tokens": 900, "total_tokens": 12900}}""";

    @Test
    void theCatalogCostBillingCoreRecordedIsConvertedFromCentsToDollarsExactly() {
        // 12,000 input (8,000 of them cached) and 900 output tokens of claude-sonnet-4-5 at $3 / $0.30 / $15 per million:
        // 4,000 × 3 + 8,000 × 0.30 + 900 × 15 = 12,000 + 2,400 + 13,500 = 27,900 µ$ = $0.0279 = 2.79 cents.
        UsageCost c = cost(row("2025-10-01T10:00:00Z", CLAUDE_CALL,
                "\"cost_amount\":\"2.790000000000\",\"cost_currency\":\"usd\",\"cost_source\":\"catalog\","
                        + "\"model_price_id\":\"6f1c7a40-0000-4000-8000-000000000001\""));

        assertThat(c.cost()).isEqualTo(new BigDecimal("0.027900000000"));
        assertThat(c.currency()).isEqualTo("usd");
        assertThat(c.costSource()).isEqualTo("catalog");
        assertThat(c.vendor()).isEqualTo("anthropic");
        assertThat(c.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(c.inputTokens()).isEqualTo(12_000L);
        assertThat(c.cachedInputTokens()).isEqualTo(8_000L);
        assertThat(c.outputTokens()).isEqualTo(900L);
        assertThat(c.name()).isEqualTo("chat.reply");
        assertThat(c.externalCustomerId()).isEqualTo("acme-42");
        assertThat(c.customerId()).isNull();
    }

    @Test
    void withoutTheCostColumnsTheEventsOwnCostIsUsed() {
        UsageCost c = cost(row("2024-05-01T10:00:00Z",
                "{\"_llm\": {\"vendor\": \"openai\", \"model\": \"gpt-4o\"}, \"_cost\": {\"amount\": \"250\", \"currency\": \"USD\"}}", ""));

        assertThat(c.cost()).isEqualTo(new BigDecimal("2.500000000000"));
        assertThat(c.currency()).isEqualTo("usd");
        assertThat(c.costSource()).isEqualTo("event");
    }

    @Test
    void aRowFromBeforeTheCostColumnsFallsBackToTheEventsOwnCost() {
        UsageCost c = cost(row("2024-05-01T10:00:00Z",
                "{\"_cost\": {\"amount\": 0.1, \"currency\": \"usd\"}}",
                "\"cost_amount\":null,\"cost_currency\":null,\"cost_source\":null,\"model_price_id\":null"));

        // A JSON number: read as the decimal it is written as (a double would give 0.1000000000000000055…).
        assertThat(c.cost()).isEqualTo(new BigDecimal("0.001000000000"));
        assertThat(c.costSource()).isEqualTo("event");
        assertThat(c.isModelCall()).isFalse();
    }

    @Test
    void anEventWithoutCostHasSourceNoneAndNoCurrency() {
        UsageCost c = cost(row("2024-05-01T10:00:00Z", "{\"plan\": \"pro\"}", ""));

        assertThat(c.costSource()).isEqualTo("none");
        assertThat(c.cost()).isNull();
        assertThat(c.currency()).isNull();
        assertThat(c.vendor()).isNull();
        assertThat(c.inputTokens()).isNull();
    }

    @Test
    void theDayIsTheUtcDateOfTheEventsTimestamp() {
        assertThat(cost(row("2024-05-01T23:30:00-02:00", "{}", "")).day()).isEqualTo(LocalDate.of(2024, 5, 2));
        assertThat(cost(row("2024-05-02T00:59:59.999999+01:00", "{}", "")).day()).isEqualTo(LocalDate.of(2024, 5, 1));
    }

    @Test
    void centsWithMoreThanTenDecimalsAreRoundedHalfEvenToTwelveDecimalsOfADollar() {
        assertThat(UsageCost.majorUnits(new BigDecimal("0.000123456789"))).isEqualTo(new BigDecimal("0.000001234568"));
        assertThat(UsageCost.majorUnits(new BigDecimal("0.000000000050"))).isEqualTo(new BigDecimal("0.000000000000"));
        assertThat(UsageCost.majorUnits(new BigDecimal("0.000000000150"))).isEqualTo(new BigDecimal("0.000000000002"));
        assertThat(UsageCost.majorUnits(new BigDecimal("12345678901234567890123456.789"))).isEqualTo(
                new BigDecimal("123456789012345678901234.567890000000"));
    }

    @Test
    void unreadableCostDataKeepsTheRawRowAndSaysWhy() {
        Parsed parsed = parse(row("2024-05-01T10:00:00Z",
                "{\"_llm\": {\"vendor\": \"openai\", \"model\": \"gpt-4o\", \"input_tokens\": \"many\"}}", ""));

        assertThat(parsed.event()).isNotNull();
        assertThat(parsed.cost()).isNull();
        assertThat(parsed.costProblem()).isEqualTo("usage cost: metadata._llm.input_tokens is not a token count: \"many\"");
    }

    @Test
    void aRecordedCostWithoutCurrencyIsUnreadable() {
        Parsed parsed = parse(row("2024-05-01T10:00:00Z", "{}", "\"cost_amount\":\"1\",\"cost_currency\":null,\"cost_source\":\"event\""));

        assertThat(parsed.costProblem()).startsWith("usage cost: cost without a currency/source");
    }

    @Test
    void theFactsRowCarriesBothRowsThroughDeduplication() {
        Parsed parsed = parse(row("2024-05-01T10:00:00Z", CLAUDE_CALL, ""));
        RowData facts = EventFacts.of(parsed.event(), parsed.cost());

        assertThat(EventFacts.idOf(facts)).isEqualTo("0b9d6c1e-6a55-4c3e-9a43-0d3c2a8f4b11");
        assertThat(UsageCost.of(EventFacts.cost(facts))).isEqualTo(parsed.cost());
        assertThat(EventFacts.cost(EventFacts.of(parsed.event(), null))).isNull();
    }
}
