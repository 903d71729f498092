package dev.marginal.stack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Each SLI of {@code deploy/slo/} as {@code bin/marginal status} prints it, computed from the
 * services' own metrics. No Prometheus keeps history locally, so the request SLIs are over the
 * counters since billing-core started, not over the SLO's 30 days; the definitions are the
 * recording rules' (4xx counts as good; latency only counts non-5xx requests).
 */
public final class ServiceLevels {

    public enum State { MET, MISSED, UNKNOWN }

    /** One line of the report: the SLI now, its objective and what the figure rests on. */
    public record Sli(String name, String now, String objective, State state, String basis) {
    }

    static final String INGEST = "/v1/events/ingest";
    private static final String COUNT = "http_server_requests_seconds_count";
    private static final String BUCKET = "http_server_requests_seconds_bucket";

    private ServiceLevels() {
    }

    /**
     * @param billing billing-core's {@code /actuator/prometheus}, empty when it does not answer
     * @param rawEvents the raw-events runner's {@code /metrics}, empty when it does not answer
     */
    public static List<Sli> of(Optional<PrometheusText> billing, Optional<PrometheusText> rawEvents) {
        return of(billing, rawEvents, Optional.empty(), Instant.now());
    }

    /**
     * @param reconcile what the last whole {@code bin/marginal reconcile} left in the stack's home
     *                  ({@code metrics/reconcile.prom}), empty when it never ran
     */
    public static List<Sli> of(Optional<PrometheusText> billing, Optional<PrometheusText> rawEvents,
                               Optional<PrometheusText> reconcile, Instant now) {
        List<Sli> out = new ArrayList<>();
        Predicate<PrometheusText.Sample> ingest = s -> INGEST.equals(s.label("uri")) && "POST".equals(s.label("method"));
        Predicate<PrometheusText.Sample> api = s -> s.label("uri").startsWith("/v1/") && !INGEST.equals(s.label("uri"));
        out.add(availability("ingest availability", billing, ingest));
        out.add(latency("ingest latency", billing, ingest, 0.5));
        out.add(availability("billing API availability", billing, api));
        out.add(latency("billing API latency", billing, api, 0.25));
        out.add(freshness(rawEvents));
        out.add(drift(reconcile, now));
        return out;
    }

    /** The SLO's "drift = 0", as the last reconcile of every organisation found it; stale after 26 h, as its alert. */
    static Sli drift(Optional<PrometheusText> reconcile, Instant now) {
        String name = "reconciliation drift";
        String objective = "= 0";
        if (reconcile.isEmpty()) {
            return unknown(name, objective, "no reconcile of every organisation yet: run bin/marginal reconcile");
        }
        double differences = reconcile.get().value("marginal_reconcile_differences");
        double finished = reconcile.get().value("marginal_reconcile_last_success_timestamp_seconds");
        if (Double.isNaN(differences) || Double.isNaN(finished)) {
            return unknown(name, objective, "metrics/reconcile.prom is incomplete: run bin/marginal reconcile");
        }
        double age = now.getEpochSecond() - finished;
        String basis = String.format(Locale.ROOT, "%s (organisation, day, figure) differ; last reconcile of every organisation %s ago",
                whole(differences), ago(age));
        if (age > 26 * 3600) {
            return new Sli(name, whole(differences), objective, State.UNKNOWN, basis + ", older than a day: run it again");
        }
        return new Sli(name, whole(differences), objective, differences == 0 ? State.MET : State.MISSED, basis);
    }

    private static String ago(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 2 * 3600) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    /** The pipelines' supporting figures: where to look when freshness slips. */
    public static List<String[]> pipelineFigures(Optional<PrometheusText> rawEvents, Optional<PrometheusText> cdc) {
        List<String[]> out = new ArrayList<>();
        out.add(figure("cdc lag", cdc, "marginal_cdc_lag_seconds", ServiceLevels::seconds));
        out.add(figure("cdc slot WAL retained", cdc, "marginal_cdc_slot_wal_retained_bytes", ServiceLevels::bytes));
        out.add(figure("kafka consumer lag", rawEvents, "marginal_raw_events_kafka_consumer_lag_records", v -> whole(v) + " records"));
        out.add(figure("last checkpoint", rawEvents, "marginal_raw_events_checkpoint_duration_seconds", ServiceLevels::millis));
        out.add(figure("checkpoints completed", rawEvents, "marginal_raw_events_checkpoints_completed_total", ServiceLevels::whole));
        out.add(figure("checkpoints failed", rawEvents, "marginal_raw_events_checkpoints_failed_total", ServiceLevels::whole));
        out.add(figure("dead letters", rawEvents, "marginal_raw_events_dlq_topic_records", v -> whole(v) + " in marginal.dlq.raw-events"));
        return out;
    }

    public static String table(List<Sli> slis) {
        StringBuilder out = new StringBuilder(String.format("%-26s %-10s %-10s %-7s %s%n", "SLI", "NOW", "OBJECTIVE", "STATE", "BASIS"));
        for (Sli s : slis) {
            out.append(String.format("%-26s %-10s %-10s %-7s %s%n", s.name(), s.now(), s.objective(),
                    switch (s.state()) {
                        case MET -> "ok";
                        case MISSED -> "MISSED";
                        case UNKNOWN -> "?";
                    }, s.basis()));
        }
        return out.toString();
    }

    public static String figures(List<String[]> figures) {
        StringBuilder out = new StringBuilder(String.format("%-26s %s%n", "PIPELINE", "NOW"));
        for (String[] f : figures) {
            out.append(String.format("%-26s %s%n", f[0], f[1]));
        }
        return out.toString();
    }

    static Sli availability(String name, Optional<PrometheusText> billing, Predicate<PrometheusText.Sample> route) {
        if (billing.isEmpty()) {
            return unknown(name, "≥ 99.9 %", "billing-core does not answer");
        }
        double all = billing.get().sum(COUNT, route);
        double errors = billing.get().sum(COUNT, route.and(ServiceLevels::serverError));
        if (all == 0) {
            return unknown(name, "≥ 99.9 %", "no requests since billing-core started");
        }
        double good = (all - errors) / all;
        return new Sli(name, percent(good), "≥ 99.9 %", good >= 0.999 ? State.MET : State.MISSED,
                String.format(Locale.ROOT, "%s requests, %s 5xx, since billing-core started", whole(all), whole(errors)));
    }

    static Sli latency(String name, Optional<PrometheusText> billing, Predicate<PrometheusText.Sample> route, double thresholdSeconds) {
        String objective = "≥ 99 %";
        if (billing.isEmpty()) {
            return unknown(name, objective, "billing-core does not answer");
        }
        Predicate<PrometheusText.Sample> answered = route.and(s -> !serverError(s));
        double all = billing.get().sum(COUNT, answered);
        double fast = billing.get().sum(BUCKET, answered.and(s -> le(s) == thresholdSeconds));
        String within = String.format(Locale.ROOT, "%.0f ms", thresholdSeconds * 1000);
        if (all == 0) {
            return unknown(name, objective, "no non-5xx requests since billing-core started");
        }
        if (billing.get().samples().stream().noneMatch(s -> s.name().equals(BUCKET) && le(s) == thresholdSeconds)) {
            return unknown(name, objective, "billing-core exports no " + within + " bucket (management.metrics.distribution.slo)");
        }
        double ratio = fast / all;
        return new Sli(name, percent(ratio), objective, ratio >= 0.99 ? State.MET : State.MISSED,
                String.format(Locale.ROOT, "%s of %s non-5xx requests within %s, since billing-core started", whole(fast), whole(all), within));
    }

    static Sli freshness(Optional<PrometheusText> rawEvents) {
        String name = "warehouse freshness";
        String objective = "≤ 60 s";
        if (rawEvents.isEmpty()) {
            return unknown(name, objective, "the raw-events runner does not answer");
        }
        double age = rawEvents.get().value("marginal_raw_events_newest_committed_age_seconds");
        if (Double.isNaN(age)) {
            return unknown(name, objective, "no commit yet in this run of raw-events");
        }
        return new Sli(name, seconds(age), objective, age <= 60 ? State.MET : State.MISSED,
                "age of the newest raw.events row committed (it also grows while nobody ingests)");
    }

    private static Sli unknown(String name, String objective, String why) {
        return new Sli(name, "-", objective, State.UNKNOWN, why);
    }

    private static String[] figure(String name, Optional<PrometheusText> metrics, String metric,
                                   java.util.function.DoubleFunction<String> shown) {
        if (metrics.isEmpty()) {
            return new String[] {name, "- (runner does not answer)"};
        }
        double v = metrics.get().value(metric);
        return new String[] {name, Double.isNaN(v) ? "-" : shown.apply(v)};
    }

    private static boolean serverError(PrometheusText.Sample s) {
        return s.label("status").startsWith("5");
    }

    private static double le(PrometheusText.Sample s) {
        try {
            return Double.parseDouble(s.label("le"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.3f %%", ratio * 100);
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    static String millis(double s) {
        return String.format(Locale.ROOT, "%.0f ms", s * 1000);
    }

    static String whole(double v) {
        return String.format(Locale.ROOT, "%d", (long) v);
    }

    static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? whole(b) + " B" : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
    }
}
