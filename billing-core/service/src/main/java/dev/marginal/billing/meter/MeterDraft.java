package dev.marginal.billing.meter;

import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.meter.MeterFilter;
import tools.jackson.databind.node.ObjectNode;

/** A meter's fields as sent; for an update, null leaves a field as it is. */
record MeterDraft(String name, MeterFilter filter, Aggregation aggregation, String unit, String customLabel,
                  Integer customMultiplier, ObjectNode metadata) {
}
