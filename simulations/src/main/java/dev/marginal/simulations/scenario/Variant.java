package dev.marginal.simulations.scenario;

import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One "what if": the plans in force after the variant's changes (baseline plans merged with its
 * overrides, plus any new plan), who moves where, and what costs change.
 *
 * @param moveCustomers customer (external or internal id) → plan
 * @param movePlans baseline plan → plan, for every customer on it not moved by name
 */
public record Variant(String name, Map<String, Plan> plans, Map<String, String> moveCustomers,
                      Map<String, String> movePlans, List<CostChange> costChanges) {

    public Variant {
        plans = Collections.unmodifiableMap(new LinkedHashMap<>(plans));
        moveCustomers = Map.copyOf(moveCustomers);
        movePlans = Map.copyOf(movePlans);
        costChanges = List.copyOf(costChanges);
    }

    /** The plan a customer is on in this variant, given the one they are on in the baseline. */
    public String planFor(String customerId, String externalCustomerId, String baselinePlan) {
        String moved = externalCustomerId == null ? null : moveCustomers.get(externalCustomerId);
        if (moved == null && customerId != null) {
            moved = moveCustomers.get(customerId);
        }
        return moved != null ? moved : movePlans.getOrDefault(baselinePlan, baselinePlan);
    }
}
