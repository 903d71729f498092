package dev.marginal.simulations.scenario;

import java.util.Currency;
import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scenario file, resolved: the baseline (meters, plans, who is on which plan) and its variants.
 * Every price in it was built by the pricing engine, so it is valid by construction.
 *
 * @param customerPlans customer (external or internal id) → baseline plan; others are on {@code defaultPlan}
 * @param optimisation the file's {@code optimise:} search, or null when it has none
 */
public record Scenario(String name, Currency currency, Map<String, MeterDefinition> meters, Map<String, Plan> plans,
                       String defaultPlan, Map<String, String> customerPlans, List<Variant> variants,
                       Behaviour behaviour, Optimisation optimisation) {

    public Scenario(String name, Currency currency, Map<String, MeterDefinition> meters, Map<String, Plan> plans,
                    String defaultPlan, Map<String, String> customerPlans, List<Variant> variants, Behaviour behaviour) {
        this(name, currency, meters, plans, defaultPlan, customerPlans, variants, behaviour, null);
    }

    public Scenario {
        meters = Collections.unmodifiableMap(new LinkedHashMap<>(meters));
        plans = Collections.unmodifiableMap(new LinkedHashMap<>(plans));
        customerPlans = Map.copyOf(customerPlans);
        variants = List.copyOf(variants);
    }

    public String baselinePlanFor(String customerId, String externalCustomerId) {
        String plan = externalCustomerId == null ? null : customerPlans.get(externalCustomerId);
        if (plan == null && customerId != null) {
            plan = customerPlans.get(customerId);
        }
        return plan != null ? plan : defaultPlan;
    }

    /** The same baseline and assumptions with other variants (the optimiser evaluates its grid so, a slice at a time). */
    public Scenario withVariants(List<Variant> others) {
        return new Scenario(name, currency, meters, plans, defaultPlan, customerPlans, others, behaviour, optimisation);
    }

    /** The baseline as a variant with no changes: its simulated bill is the actual bill. */
    public Variant baselineVariant() {
        return new Variant("baseline", plans, Map.of(), Map.of(), List.of());
    }
}
