package dev.marginal.billing.meter;

import java.util.Set;

import dev.marginal.billing.http.Body;
import dev.marginal.billing.problem.Violations;
import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.meter.MeterFilter;
import tools.jackson.databind.JsonNode;

/** Polar's {@code MeterCreate} and {@code MeterUpdate}. */
final class MeterRules {

    static final Set<String> UNITS = Set.of("scalar", "token", "custom");

    private MeterRules() {
    }

    static MeterDraft create(JsonNode json) {
        Body body = Body.of(json, new Violations());
        if (body.has("organization_id")) {
            body.violations().add(Body.loc("organization_id"),
                    "Setting organization_id is disallowed when using an organization token.", "organization_token");
        }
        String name = name(body, true);
        MeterFilter filter = MeterJson.filter(body.get("filter"), Body.loc("filter"), body.violations());
        Aggregation aggregation = MeterJson.aggregation(body.get("aggregation"), Body.loc("aggregation"),
                body.violations());
        MeterDraft draft = new MeterDraft(name, filter, aggregation, unit(body), body.text("custom_label", false, 100),
                multiplier(body), body.metadata());
        customUnit(body, draft.unit(), draft.customLabel(), draft.customMultiplier());
        body.violations().throwIfAny();
        return draft;
    }

    record Update(MeterDraft draft, Boolean archived) {
    }

    static Update update(JsonNode json) {
        Body body = Body.of(json, new Violations());
        String name = name(body, false);
        MeterFilter filter = body.has("filter")
                ? MeterJson.filter(body.get("filter"), Body.loc("filter"), body.violations()) : null;
        Aggregation aggregation = body.has("aggregation")
                ? MeterJson.aggregation(body.get("aggregation"), Body.loc("aggregation"), body.violations()) : null;
        MeterDraft draft = new MeterDraft(name, filter, aggregation, unit(body), body.text("custom_label", false, 100),
                multiplier(body), body.has("metadata") ? body.metadata() : null);
        Boolean archived = body.bool("is_archived");
        body.violations().throwIfAny();
        return new Update(draft, archived);
    }

    /** Polar: at least 3 characters. */
    private static String name(Body body, boolean required) {
        String name = body.text("name", required, 400);
        if (name != null && name.strip().length() < 3) {
            body.violations().add(Body.loc("name"), "String should have at least 3 characters", "string_too_short");
        }
        return name;
    }

    private static String unit(Body body) {
        String unit = body.text("unit", false, 20);
        if (unit != null && !UNITS.contains(unit)) {
            body.violations().add(Body.loc("unit"), "Input should be 'scalar', 'token' or 'custom'", "enum");
        }
        return unit;
    }

    private static Integer multiplier(Body body) {
        JsonNode value = body.get("custom_multiplier");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            body.violations().add(Body.loc("custom_multiplier"), "Input should be an integer ≥ 1", "int_type");
            return null;
        }
        return value.intValue();
    }

    private static void customUnit(Body body, String unit, String label, Integer multiplier) {
        if ("custom".equals(unit) && label == null) {
            body.violations().add(Body.loc("custom_label"), "custom_label is required when unit is 'custom'", "missing");
        }
    }

}
