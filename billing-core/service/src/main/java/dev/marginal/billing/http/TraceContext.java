package dev.marginal.billing.http;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The id that follows one request into what it writes: the trace id of a W3C {@code traceparent}
 * header when the caller sends a valid one (so the row joins the caller's distributed trace), else
 * the request id {@link RequestLog} logs and echoes.
 */
public final class TraceContext {

    public static final String TRACEPARENT = "traceparent";
    static final String ATTRIBUTE = TraceContext.class.getName() + ".traceId";

    // version "-" trace-id "-" parent-id "-" flags; a later version may append "-" and more fields.
    private static final Pattern TRACEPARENT_FORMAT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
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

    /** The trace id {@link RequestLog} chose for this request; null outside a request it filtered. */
    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id instanceof String s ? s : null;
    }
}
