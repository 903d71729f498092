package dev.marginal.billing.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceContextTest {

    @Test
    void theTraceIdIsTheSecondFieldOfAVersion00Header() {
        // The W3C specification's own example.
        assertThat(TraceContext.traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .hasValue("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aLaterVersionMayAppendFieldsButVersion00MayNot() {
        assertThat(TraceContext.traceIdOf("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"))
                .hasValue("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(TraceContext.traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")).isEmpty();
    }

    @Test
    void invalidHeadersAreIgnored() {
        assertThat(TraceContext.traceIdOf(null)).isEmpty();
        assertThat(TraceContext.traceIdOf("")).isEmpty();
        assertThat(TraceContext.traceIdOf("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.traceIdOf("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isEmpty();
        assertThat(TraceContext.traceIdOf("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01")).isEmpty();
    }

    @Test
    void withoutAValidTraceparentTheRequestIdStandsIn() {
        assertThat(TraceContext.traceId("garbage", "req-1")).isEqualTo("req-1");
        assertThat(TraceContext.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "req-1"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void theServerSpansTraceIdWinsOverTheHeaderAndTheRequestId() {
        // The span continues a valid header, so the two agree; without one it is a new trace's id.
        assertThat(TraceContext.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "req-1",
                "4bf92f3577b34da6a3ce929d0e0e4736")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(TraceContext.traceId(null, "req-1", "0af7651916cd43dd8448eb211c80319c"))
                .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void withoutAUsableSpanTheHeaderOrTheRequestIdIsTheTraceId() {
        assertThat(TraceContext.traceId(null, "req-1", null)).isEqualTo("req-1");
        assertThat(TraceContext.traceId(null, "req-1", "0".repeat(32))).isEqualTo("req-1");
        assertThat(TraceContext.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "req-1", ""))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
