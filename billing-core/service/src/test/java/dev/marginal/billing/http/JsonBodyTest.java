package dev.marginal.billing.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;

class JsonBodyTest {

    private static ApiException parseFails(String json) {
        return catchThrowableOfType(ApiException.class, () -> JsonBody.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedJsonIsAClientErrorThatSaysWhere() {
        ApiException e = parseFails("{\"events\": [");

        assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_JSON);
        assertThat(e.getMessage()).startsWith("JSON decode error at line 1").doesNotContain("Source");
        assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.type()).isEqualTo("json_invalid"));
    }

    @Test
    void duplicateKeysAndTrailingGarbageAreMalformed() {
        assertThat(parseFails("{\"a\":1,\"a\":2}").type()).isEqualTo(ProblemType.MALFORMED_JSON);
        assertThat(parseFails("{\"a\":1} {}").type()).isEqualTo(ProblemType.MALFORMED_JSON);
    }

    @Test
    void numbersAreExactDecimalsWithTheirScale() {
        var node = JsonBody.parse("{\"a\":0.1,\"b\":2.50,\"c\":12345678901234567890.123456789012}".getBytes(StandardCharsets.UTF_8));

        assertThat(node.get("a").decimalValue()).isEqualTo(new BigDecimal("0.1"));
        assertThat(node.get("b").decimalValue()).isEqualTo(new BigDecimal("2.50"));
        assertThat(node.get("c").decimalValue()).isEqualTo(new BigDecimal("12345678901234567890.123456789012"));
        assertThat(JsonBody.MAPPER.writeValueAsString(node))
                .isEqualTo("{\"a\":0.1,\"b\":2.50,\"c\":12345678901234567890.123456789012}");
    }

    @Test
    void anEmptyBodyIsNoTree() {
        assertThat(JsonBody.parse(" \n".getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
