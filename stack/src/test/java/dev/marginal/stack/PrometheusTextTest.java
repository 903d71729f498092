package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void samplesWithAndWithoutLabelsAreReadAndCommentsSkipped() {
        PrometheusText text = PrometheusText.parse("""
                # HELP marginal_cdc_records_total Changes sent
                # TYPE marginal_cdc_records_total counter
                marginal_cdc_records_total 42
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2582912E7
                marginal_raw_events_newest_committed_age_seconds NaN
                """);
        assertThat(text.samples()).hasSize(3);
        assertThat(text.value("marginal_cdc_records_total")).isEqualTo(42);
        assertThat(text.samples().get(1).label("id")).isEqualTo("G1 Eden Space");
        assertThat(text.value("jvm_memory_used_bytes")).isEqualTo(12_582_912);
        assertThat(text.value("marginal_raw_events_newest_committed_age_seconds")).isNaN();
        assertThat(text.value("absent")).isNaN();
    }

    @Test
    void escapedQuotesCommasAndBracesInsideLabelValuesStayInTheValue() {
        PrometheusText text = PrometheusText.parse(
                "http_server_requests_seconds_count{uri=\"/v1/a,b}\",exception=\"say \\\"no\\\"\",status=\"500\"} 3 1700000000000\n");
        assertThat(text.samples()).singleElement().satisfies(s -> {
            assertThat(s.label("uri")).isEqualTo("/v1/a,b}");
            assertThat(s.label("exception")).isEqualTo("say \"no\"");
            assertThat(s.value()).isEqualTo(3);
        });
    }

    @Test
    void sumAddsTheSamplesTheFilterKeeps() {
        PrometheusText text = PrometheusText.parse("""
                c{status="200"} 10
                c{status="503"} 2
                c{status="500"} 1
                """);
        assertThat(text.sum("c", s -> s.label("status").startsWith("5"))).isEqualTo(3);
    }

    @Test
    void malformedLinesAreSkippedNotFatal() {
        PrometheusText text = PrometheusText.parse("broken{le=\"0.5\" 1\nno_value\nok 1\n");
        assertThat(text.samples()).extracting(PrometheusText.Sample::name).containsExactly("ok");
    }
}
