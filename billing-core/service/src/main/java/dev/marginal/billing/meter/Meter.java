package dev.marginal.billing.meter;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.meter.MeterFilter;
import tools.jackson.databind.JsonNode;

/** Polar's {@code Meter}; {@code filterRule} and {@code aggregationRule} are the engine's parsed forms. */
public record Meter(JsonNode metadata, OffsetDateTime createdAt, OffsetDateTime modifiedAt, UUID id, String name,
                    String unit, String customLabel, Integer customMultiplier, JsonNode filter, JsonNode aggregation,
                    UUID organizationId, OffsetDateTime archivedAt,
                    @JsonIgnore MeterFilter filterRule, @JsonIgnore Aggregation aggregationRule) {
}
