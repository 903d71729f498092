package dev.marginal.billing.http;

import java.net.URI;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingConnectionDetails;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.Transport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;

/**
 * OpenTelemetry tracing of the HTTP service. Spring Boot makes one server span per request from
 * Micrometer's HTTP observation and continues a W3C {@code traceparent}; this class only decides
 * where spans go and what they are called.
 *
 * <p>Export is on only when {@code MARGINAL_OTEL_ENDPOINT} (or Boot's own
 * {@code management.opentelemetry.tracing.export.otlp.endpoint}) names a collector: Boot would
 * otherwise take an empty placeholder for an endpoint and log a failed export every few seconds.
 */
@Configuration(proxyBeanMethods = false)
public class Tracing {

    static final String TRACES_PATH = "/v1/traces";

    /** The collector {@code MARGINAL_OTEL_ENDPOINT} names; Boot's exporter exists only when this bean does. */
    @Bean
    @ConditionalOnExpression("!'${marginal.otel.endpoint:}'.isBlank()")
    OtlpTracingConnectionDetails marginalOtlpCollector(@Value("${marginal.otel.endpoint}") String endpoint) {
        String url = tracesUrl(endpoint);
        return transport -> transport == Transport.HTTP ? url : endpoint.strip();
    }

    /**
     * Like {@code OTEL_EXPORTER_OTLP_ENDPOINT}, the setting is the collector's base URL and spans go
     * to its {@code /v1/traces}; a URL that already ends there is taken as it is.
     */
    static String tracesUrl(String endpoint) {
        String base = endpoint.strip();
        URI.create(base); // a malformed URL fails the start, not every export
        if (base.endsWith(TRACES_PATH)) {
            return base;
        }
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + TRACES_PATH;
    }

    /**
     * Spans named as OpenTelemetry's HTTP conventions name them, {@code POST /v1/events/ingest}:
     * the method and the route template, never the raw path with its ids. Metric names and tags
     * stay Micrometer's, which the Prometheus rules in deploy/slo read.
     */
    @Bean
    ServerRequestObservationConvention spanNamedByRoute() {
        return new DefaultServerRequestObservationConvention() {
            @Override
            public String getContextualName(ServerRequestObservationContext context) {
                String method = context.getCarrier().getMethod();
                String route = context.getPathPattern();
                return route == null ? method : method + " " + route;
            }
        };
    }
}
