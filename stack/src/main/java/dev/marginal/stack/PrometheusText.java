package dev.marginal.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The samples of a Prometheus text exposition (what {@code /actuator/prometheus} and the runners'
 * {@code /metrics} answer): enough of the format for {@code bin/marginal status}, which reads
 * counters and gauges; comments, timestamps and exemplars are skipped.
 */
public final class PrometheusText {

    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    public static PrometheusText empty() {
        return new PrometheusText(List.of());
    }

    public List<Sample> samples() {
        return samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Sample s = sample(l);
            if (s != null) {
                out.add(s);
            }
        }
        return new PrometheusText(out);
    }

    /** Σ of the values of the samples named {@code name} whose labels pass {@code filter}. */
    public double sum(String name, Predicate<Sample> filter) {
        return samples.stream().filter(s -> s.name().equals(name) && filter.test(s)).mapToDouble(Sample::value).sum();
    }

    /** The value of the first sample named {@code name}; NaN when there is none. */
    public double value(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        String rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int end = readLabels(line, brace + 1, labels);
            if (end < 0) {
                return null;
            }
            rest = line.substring(end + 1).strip();
        } else {
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        }
        String value = rest.split("\\s+")[0];
        try {
            return new Sample(name, Map.copyOf(labels), parseValue(value));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads {@code k="v",…} up to the closing brace; returns its index, or −1 if the line is malformed. */
    private static int readLabels(String line, int from, Map<String, String> labels) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                return -1;
            }
            String key = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < line.length() && line.charAt(j) != '"'; j++) {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(v);
                }
            }
            if (j >= line.length()) {
                return -1;
            }
            labels.put(key, value.toString());
            i = j + 1;
        }
        return -1;
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }
}
