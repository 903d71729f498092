package dev.marginal.pricing.meter;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a meter sees of a usage event. Metadata values are {@link String}, {@link BigDecimal}
 * (every JSON number, exact), {@link Boolean}, nested {@link Map}s and {@link List}s.
 */
public record MeterEvent(String name, String source, Instant timestamp, Map<String, Object> metadata) {

    public MeterEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timestamp, "timestamp");
        source = source == null ? "user" : source;
        metadata = metadata == null ? Map.of() : metadata;
    }

    /**
     * A property as Polar resolves it: {@code name}, {@code source} and {@code timestamp} (epoch
     * seconds) are the event's own; anything else is a metadata path, {@code metadata.} prefix
     * optional, nested keys separated by dots ({@code _llm.input_tokens}). Null when absent.
     */
    public Object property(String property) {
        return switch (property) {
            case "name" -> name;
            case "source" -> source;
            case "timestamp" -> BigDecimal.valueOf(timestamp.getEpochSecond());
            default -> metadataValue(stripMetadataPrefix(property));
        };
    }

    public static String stripMetadataPrefix(String property) {
        return property.startsWith("metadata.") ? property.substring("metadata.".length()) : property;
    }

    private Object metadataValue(String path) {
        Object direct = metadata.get(path);
        if (direct != null || !path.contains(".")) {
            return direct;
        }
        Object current = metadata;
        for (String key : path.split("\\.", -1)) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }
}
