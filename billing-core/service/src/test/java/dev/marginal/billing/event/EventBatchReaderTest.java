package dev.marginal.billing.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;
import dev.marginal.billing.problem.ValidationError;
import tools.jackson.databind.JsonNode;

class EventBatchReaderTest {

    private static final Instant NOW = Instant.parse("2025-03-14T09:26:53.589793Z");
    private final EventBatchReader reader = new EventBatchReader();

    private List<EventDraft> read(String json) {
        return reader.read(JsonBody.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), NOW);
    }

    private List<ValidationError> rejected(String json) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> read(json));
        assertThat(e).as("batch should be rejected").isNotNull();
        assertThat(e.type()).isEqualTo(ProblemType.VALIDATION_ERROR);
        return e.errors();
    }

    private static String event(String fields) {
        return "{\"name\":\"completion\",\"external_customer_id\":\"cus_42\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    private static String batch(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    @Test
    void aMinimalEventGetsNowAndEmptyMetadata() {
        EventDraft draft = read(batch(event(""))).get(0);

        assertThat(draft.name()).isEqualTo("completion");
        assertThat(draft.externalCustomerId()).isEqualTo("cus_42");
        assertThat(draft.customerId()).isNull();
        assertThat(draft.timestamp()).isEqualTo(OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
        assertThat(draft.metadata().isEmpty()).isTrue();
    }

    @Test
    void timestampsAreKeptInUtcToTheMicrosecond() {
        EventDraft draft = read(batch(event("\"timestamp\":\"2025-03-14T10:00:00.123456789+01:00\""))).get(0);

        // 10:00 at +01:00 is 09:00 UTC; nanoseconds beyond the microsecond are dropped, as PostgreSQL would.
        assertThat(draft.timestamp()).isEqualTo(OffsetDateTime.parse("2025-03-14T09:00:00.123456Z"));
    }

    @Test
    void oneBadEventInOneHundredIsNamedByIndexAndField() {
        String[] events = new String[100];
        for (int i = 0; i < 100; i++) {
            events[i] = i == 37 ? "{\"external_customer_id\":\"cus_42\"}" : event("");
        }

        List<ValidationError> errors = rejected(batch(events));

        assertThat(errors).containsExactly(
                new ValidationError(List.of("body", "events", 37, "name"), "Field required", "missing"));
        assertThat(errors.get(0).path()).isEqualTo("events[37].name");
    }

    @Test
    void everyBadEventIsReportedNotJustTheFirst() {
        List<ValidationError> errors = rejected(batch(event("\"timestamp\":42"), event(""), "[]"));

        assertThat(errors).extracting(ValidationError::loc).containsExactly(
                List.of("body", "events", 0, "timestamp"),
                List.of("body", "events", 2));
    }

    @Test
    void timestampsInTheFutureAreRejectedBeyondOneMinuteOfSkew() {
        String withinSkew = NOW.plusSeconds(59).toString();
        String beyondSkew = NOW.plusSeconds(61).toString();

        assertThat(read(batch(event("\"timestamp\":\"" + withinSkew + "\"")))).hasSize(1);
        assertThat(rejected(batch(event("\"timestamp\":\"" + beyondSkew + "\""))))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.loc()).containsExactly("body", "events", 0, "timestamp");
                    assertThat(e.msg()).contains("must be in the past");
                });
    }

    @Test
    void timestampsNeedAnOffset() {
        assertThat(rejected(batch(event("\"timestamp\":\"2025-03-14T09:00:00\""))))
                .extracting(ValidationError::type).containsExactly("timezone_aware");
        assertThat(rejected(batch(event("\"timestamp\":\"yesterday\""))))
                .extracting(ValidationError::type).containsExactly("datetime_parsing");
    }

    @Test
    void anEventNamesExactlyOneCustomer() {
        assertThat(rejected(batch("{\"name\":\"completion\"}")))
                .extracting(ValidationError::loc, ValidationError::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        List.of("body", "events", 0, "external_customer_id"), "missing"));
        assertThat(rejected(batch(event("\"customer_id\":\"0b6c3a8e-3f0e-4a59-9d1b-6f8a3c2e1d4f\""))))
                .extracting(ValidationError::type).containsExactly("value_error");
    }

    @Test
    void customerIdMustBeAUuid() {
        String json = batch("{\"name\":\"completion\",\"customer_id\":\"cus_42\"}");
        assertThat(rejected(json)).extracting(ValidationError::type).containsExactly("uuid_parsing");

        EventDraft draft = read(batch("{\"name\":\"completion\",\"customer_id\":\"0b6c3a8e-3f0e-4a59-9d1b-6f8a3c2e1d4f\"}")).get(0);
        assertThat(draft.customerId()).hasToString("0b6c3a8e-3f0e-4a59-9d1b-6f8a3c2e1d4f");
    }

    @Test
    void nameMustBeNonBlankAndAtMostFourHundredCharacters() {
        assertThat(rejected(batch("{\"name\":\"  \",\"external_customer_id\":\"c\"}")))
                .extracting(ValidationError::type).containsExactly("string_too_short");
        assertThat(rejected(batch("{\"name\":\"" + "n".repeat(401) + "\",\"external_customer_id\":\"c\"}")))
                .extracting(ValidationError::type).containsExactly("string_too_long");
        assertThat(read(batch("{\"name\":\"" + "n".repeat(400) + "\",\"external_customer_id\":\"c\"}"))).hasSize(1);
    }

    @Test
    void organizationIdIsRefusedWithAnOrganizationToken() {
        assertThat(rejected(batch(event("\"organization_id\":\"0b6c3a8e-3f0e-4a59-9d1b-6f8a3c2e1d4f\""))))
                .extracting(ValidationError::type).containsExactly("organization_token");
    }

    @Test
    void costAmountsStayExactDecimals() {
        EventDraft draft = read(batch(event(
                "\"metadata\":{\"_cost\":{\"amount\":0.000000000001,\"currency\":\"usd\"},\"ratio\":1.50}"))).get(0);

        JsonNode amount = draft.metadata().get("_cost").get("amount");
        assertThat(amount.decimalValue()).isEqualTo(new BigDecimal("0.000000000001"));
        // 1.50 keeps its scale: no float ever touched it.
        assertThat(draft.metadata().get("ratio").decimalValue()).isEqualTo(new BigDecimal("1.50"));
    }

    @Test
    void costAmountsAreCentsNeverNegativeAndAtMostTwelveDecimals() {
        assertThat(rejected(batch(event("\"metadata\":{\"_cost\":{\"amount\":0.0000000000001,\"currency\":\"usd\"}}"))))
                .extracting(ValidationError::loc, ValidationError::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        List.of("body", "events", 0, "metadata", "_cost", "amount"), "decimal_max_places"));
        assertThat(rejected(batch(event("\"metadata\":{\"_cost\":{\"amount\":-1,\"currency\":\"usd\"}}"))))
                .extracting(ValidationError::type).containsExactly("greater_than_equal");
        assertThat(rejected(batch(event("\"metadata\":{\"_cost\":{\"amount\":1,\"currency\":\"dollars\"}}"))))
                .extracting(ValidationError::type).containsExactly("string_pattern_mismatch");
        assertThat(rejected(batch(event("\"metadata\":{\"_cost\":{\"amount\":1,\"currency\":\"xyz\"}}"))))
                .extracting(ValidationError::type).containsExactly("value_error");
    }

    @Test
    void aCostSentAsADecimalStringIsStoredAsANumber() {
        EventDraft draft = read(batch(event("\"metadata\":{\"_cost\":{\"amount\":\"12.340000000001\",\"currency\":\"USD\"}}"))).get(0);

        JsonNode amount = draft.metadata().get("_cost").get("amount");
        assertThat(amount.isNumber()).isTrue();
        assertThat(amount.decimalValue()).isEqualTo(new BigDecimal("12.340000000001"));
    }

    @Test
    void llmMetadataNeedsAVendorAModelAndNonNegativeIntegerTokenCounts() {
        String valid = "\"metadata\":{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":812,"
                + "\"output_tokens\":95,\"total_tokens\":907,\"cached_input_tokens\":512}}";
        assertThat(read(batch(event(valid)))).hasSize(1);

        List<ValidationError> errors = rejected(batch(event(
                "\"metadata\":{\"_llm\":{\"vendor\":\"openai\",\"input_tokens\":-1,\"output_tokens\":1.5,\"total_tokens\":3}}")));
        assertThat(errors).extracting(ValidationError::path, ValidationError::type).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("events[0].metadata._llm.model", "missing"),
                org.assertj.core.groups.Tuple.tuple("events[0].metadata._llm.input_tokens", "greater_than_equal"),
                org.assertj.core.groups.Tuple.tuple("events[0].metadata._llm.output_tokens", "int_type"));
    }

    @Test
    void metadataMustBeAnObject() {
        assertThat(rejected(batch(event("\"metadata\":[1,2]"))))
                .extracting(ValidationError::type).containsExactly("dict_type");
    }

    @Test
    void nulCharactersAreRefusedBeforeTheyReachPostgres() {
        assertThat(rejected(batch(event("\"metadata\":{\"note\":\"a\\u0000b\"}"))))
                .extracting(ValidationError::path).containsExactly("events[0].metadata.note");
    }

    @Test
    void moreThanTenThousandEventsIsTooMany() {
        String[] events = new String[EventBatchReader.MAX_EVENTS + 1];
        java.util.Arrays.fill(events, "{}");

        assertThat(rejected(batch(events))).extracting(ValidationError::loc, ValidationError::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(List.of("body", "events"), "too_long"));
    }

    @Test
    void theBodyNeedsAnEventsList() {
        assertThat(rejected("{}")).extracting(ValidationError::type).containsExactly("missing");
        assertThat(rejected("{\"events\":{}}")).extracting(ValidationError::type).containsExactly("list_type");
        assertThat(rejected("[]")).extracting(ValidationError::type).containsExactly("dict_type");
        assertThat(read("{\"events\":[]}")).isEmpty();
    }
}
