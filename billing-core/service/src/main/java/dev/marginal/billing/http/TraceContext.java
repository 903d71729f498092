package dev.marginal.billing.http;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The id that follows one request into what it writes: the trace id of the request's OpenTelemetry
 * server span, which continues a valid W3C {@code traceparent} (so the row joins the caller's
 * distributed trace) and starts a new trace otherwise; without a tracer, the header's trace id or
 * the request id {@link RequestLog} logs and echoes.
 */
public final class TraceContext {

    public static final String TRACEPARENT = "traceparent";
    static final String ATTRIBUTE = TraceContext.class.getName() + ".traceId";

    // version "-" trace-id "-" parent-id "-" flags; a later version may append "-" and more fields.
    private static final Pattern TRACEPARENT_FORMAT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final Pattern TRACE_ID_FORMAT = Pattern.compile("[0-9a-f]{32}");
    private static final String ZERO_TRACE_ID = "0".repeat(32);
    private static final String ZERO_PARENT_ID = "0".repeat(16);

    private TraceContext() {
    }

    /**
     * The trace id of a {@code traceparent} header as W3C Trace Context defines it, or empty when the
     * header is absent or invalid (version {@code ff}, an all-zero id, extra fields on version 00,
     * upper-case hex): an invalid header is ignored, never an error, as the specification asks.
     */
    public static Optional<String> traceIdOf(String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        var m = TRACEPARENT_FORMAT.matcher(traceparent.strip());
        if (!m.matches() || "ff".equals(m.group(1)) || ("00".equals(m.group(1)) && m.group(5) != null)
                || ZERO_TRACE_ID.equals(m.group(2)) || ZERO_PARENT_ID.equals(m.group(3))) {
            return Optional.empty();
        }
        return Optional.of(m.group(2));
    }

    static String traceId(String traceparent, String requestId) {
        return traceIdOf(traceparent).orElse(requestId);
    }

    /**
     * The trace id of the request's server span when there is one (it already continues a valid
     * {@code traceparent}), so logs, rows and the exported trace share one id; without a span (no
     * tracer), the header's trace id or the request id as before.
     */
    static String traceId(String traceparent, String requestId, String spanTraceId) {
        if (spanTraceId != null && TRACE_ID_FORMAT.matcher(spanTraceId).matches()
                && !ZERO_TRACE_ID.equals(spanTraceId)) {
            return spanTraceId;
        }
        return traceId(traceparent, requestId);
    }

    /** The trace id {@link RequestLog} chose for this request; null outside a request it filtered. */
    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id instanceof String s ? s : null;
    }
}
