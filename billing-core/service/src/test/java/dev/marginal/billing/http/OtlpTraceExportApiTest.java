package dev.marginal.billing.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.sun.net.httpserver.HttpServer;

import dev.marginal.billing.BillingApiTest;

/**
 * The service exports its server spans over OTLP/HTTP to the collector MARGINAL_OTEL_ENDPOINT names:
 * here a collector of a few lines on loopback that keeps every span it is sent.
 */
class OtlpTraceExportApiTest extends BillingApiTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final LinkedBlockingQueue<ExportedSpan> SPANS = new LinkedBlockingQueue<>();
    private static final LinkedBlockingQueue<String> CONTENT_TYPES = new LinkedBlockingQueue<>();
    private static final HttpServer COLLECTOR = startCollector();

    /** What the test reads of one OTLP span: trace id (hex), name, and its string attributes. */
    record ExportedSpan(String traceId, String name, Map<String, String> attributes) {
    }

    @DynamicPropertySource
    static void collector(DynamicPropertyRegistry registry) {
        registry.add("marginal.otel.endpoint", () -> "http://127.0.0.1:" + COLLECTOR.getAddress().getPort());
        // Export at once rather than after the batch processor's default 5 s wait.
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "50ms");
    }

    @AfterAll
    static void stopCollector() {
        COLLECTOR.stop(0);
    }

    @Test
    void anIngestRequestIsExportedAsAServerSpanOfTheCallersTraceNamedByItsRoute() throws InterruptedException {
        Tenant tenant = newTenant();
        Reply reply = send(HttpRequest.newBuilder(uri("/v1/events/ingest"))
                .header("Authorization", tenant.bearer())
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .header("X-Request-Id", "req-otlp-1")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"events\":[{\"name\":\"completion\",\"external_customer_id\":\"cus_1\"}]}"))
                .build());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);

        ExportedSpan span = awaitSpan(TRACE_ID);
        assertThat(span.name()).isEqualTo("POST /v1/events/ingest");
        assertThat(span.attributes()).containsEntry("uri", "/v1/events/ingest")
                .containsEntry("status", "200")
                .containsEntry("marginal.request_id", "req-otlp-1");
        assertThat(CONTENT_TYPES.peek()).isEqualTo("application/x-protobuf");
        // The same id is on the row the request wrote, so the trace, the log line and the event meet.
        assertThat(jdbc.sql("SELECT trace_id FROM events WHERE organization_id = ?").param(tenant.id())
                .query(String.class).single()).isEqualTo(span.traceId());
    }

    @Test
    void aRouteWithAnIdIsNamedByItsTemplateNotItsPath() throws InterruptedException {
        Tenant tenant = newTenant();
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        Reply reply = send(HttpRequest.newBuilder(uri("/v1/customers/" + java.util.UUID.randomUUID()))
                .header("Authorization", tenant.bearer())
                .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .GET().build());
        assertThat(reply.status()).isEqualTo(404);

        ExportedSpan span = awaitSpan(traceId);
        assertThat(span.name()).isEqualTo("GET /v1/customers/{id}");
        assertThat(span.attributes()).containsEntry("status", "404");
    }

    /** Waits for the exporter's batch (bounded, so a broken export fails instead of hanging). */
    private static ExportedSpan awaitSpan(String traceId) throws InterruptedException {
        List<ExportedSpan> seen = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ExportedSpan span = SPANS.poll(100, TimeUnit.MILLISECONDS);
            if (span != null && span.traceId().equals(traceId)) {
                return span;
            }
            if (span != null) {
                seen.add(span);
            }
        }
        throw new AssertionError("no span of trace " + traceId + " exported; saw " + seen);
    }

    private static HttpServer startCollector() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                CONTENT_TYPES.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
                SPANS.addAll(Otlp.spans(body));
                // An empty ExportTraceServiceResponse: everything accepted.
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Just enough of the protobuf wire format to read ExportTraceServiceRequest's spans
     * (opentelemetry-proto: resource_spans = 1 → scope_spans = 2 → spans = 2; a span's trace_id = 1,
     * name = 5, attributes = 9 as KeyValue{key = 1, value = AnyValue{string_value = 1}}).
     */
    static final class Otlp {

        static List<ExportedSpan> spans(byte[] request) {
            List<ExportedSpan> spans = new ArrayList<>();
            for (byte[] resourceSpans : fields(request, 1)) {
                for (byte[] scopeSpans : fields(resourceSpans, 2)) {
                    for (byte[] span : fields(scopeSpans, 2)) {
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (byte[] keyValue : fields(span, 9)) {
                            List<byte[]> value = fields(keyValue, 2);
                            List<byte[]> string = value.isEmpty() ? List.of() : fields(value.get(0), 1);
                            if (!string.isEmpty()) {
                                attributes.put(text(fields(keyValue, 1).get(0)), text(string.get(0)));
                            }
                        }
                        spans.add(new ExportedSpan(HexFormat.of().formatHex(fields(span, 1).get(0)),
                                text(fields(span, 5).get(0)), attributes));
                    }
                }
            }
            return spans;
        }

        /** The length-delimited fields numbered {@code number} of one message, skipping the others. */
        static List<byte[]> fields(byte[] message, int number) {
            List<byte[]> found = new ArrayList<>();
            int[] at = {0};
            while (at[0] < message.length) {
                long tag = varint(message, at);
                int wireType = (int) (tag & 7);
                switch (wireType) {
                    case 0 -> varint(message, at);
                    case 1 -> at[0] += 8;
                    case 5 -> at[0] += 4;
                    case 2 -> {
                        int length = (int) varint(message, at);
                        if (tag >>> 3 == number) {
                            byte[] field = new byte[length];
                            System.arraycopy(message, at[0], field, 0, length);
                            found.add(field);
                        }
                        at[0] += length;
                    }
                    default -> throw new IllegalArgumentException("wire type " + wireType + " is not OTLP's");
                }
            }
            return found;
        }

        private static long varint(byte[] message, int[] at) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = message[at[0]++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }

        private static String text(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
