package dev.marginal.billing.http;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One log line per request, keyed by a request id the client may send ({@code X-Request-Id}) or
 * we generate; it is echoed back and put in the MDC as {@code request_id} for every line logged
 * while serving the request. The request's {@link TraceContext trace id} goes in the MDC as
 * {@code trace_id} and on the request, for the rows the request writes (events.trace_id).
 *
 * <p>It runs just inside Boot's HTTP observation filter, so the request's server span already
 * exists: the trace id logged and stored is that span's, which is the caller's when it sent a valid
 * {@code traceparent} and a new trace's otherwise. One id then finds the log line, the rows and
 * the trace.
 */
@Component
@Order(RequestLog.ORDER)
public class RequestLog extends OncePerRequestFilter {

    /** One after Boot's {@code ServerHttpObservationFilter} (highest precedence + 1), which opens the span. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger log = LoggerFactory.getLogger("dev.marginal.billing.request");

    private final Tracer tracer;

    public RequestLog(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        String requestId = presented != null && SAFE_ID.matcher(presented).matches()
                ? presented : UUID.randomUUID().toString();
        response.setHeader(HEADER, requestId);
        Span span = tracer.currentSpan();
        String traceId = TraceContext.traceId(request.getHeader(TraceContext.TRACEPARENT), requestId,
                span == null ? null : span.context().traceId());
        if (span != null) {
            span.tag("marginal.request_id", requestId);
        }
        request.setAttribute(TraceContext.ATTRIBUTE, traceId);
        MDC.put("request_id", requestId);
        MDC.put("trace_id", traceId);
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long micros = (System.nanoTime() - start) / 1_000;
            boolean probe = request.getRequestURI().startsWith("/actuator/");
            if (!probe || log.isDebugEnabled()) {
                log.info("request_id={} trace_id={} method={} path={} status={} duration_ms={}.{}", requestId, traceId,
                        request.getMethod(), request.getRequestURI(), response.getStatus(), micros / 1000,
                        String.format("%03d", micros % 1000));
            }
            MDC.remove("request_id");
            MDC.remove("trace_id");
        }
    }
}
