package dev.marginal.simulations.scenario;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads a scenario's {@code optimise:} section (format: docs/simulations.md) and builds every
 * candidate of its grid up front: each is the baseline's plan YAML with the parameters' values
 * written in, parsed exactly as a plan in the file would be. A value that makes an invalid price
 * (a tier bound below the one before, a negative amount) refuses the file at the parameter's line,
 * before anything runs.
 */
final class OptimisationParser {

    /** More candidates than this is a search to narrow, not to run. */
    static final int MAX_CANDIDATES = 10_000;

    private static final Set<String> KEYS = Set.of("maximise", "minimise", "constraints", "risk", "parameters");
    private static final Set<String> PARAMETER = Set.of("path", "values", "from", "to", "step");

    private final Currency currency;
    private final Map<String, YamlNode> planNodes;
    private final Map<String, Plan> baselinePlans;
    private final BiFunction<String, YamlNode, Plan> planParser;
    private final Set<String> takenNames;
    private final boolean trials;

    OptimisationParser(Currency currency, Map<String, YamlNode> planNodes, Map<String, Plan> baselinePlans,
                       BiFunction<String, YamlNode, Plan> planParser, Set<String> takenNames, boolean trials) {
        this.currency = currency;
        this.planNodes = planNodes;
        this.baselinePlans = baselinePlans;
        this.planParser = planParser;
        this.takenNames = takenNames;
        this.trials = trials;
    }

    Optimisation parse(YamlNode node) {
        Map<String, YamlNode> f = node.map(KEYS);
        if (f.containsKey("maximise") == f.containsKey("minimise")) {
            throw node.error("optimise: give exactly one of maximise or minimise (a metric: " + Metric.names() + ")");
        }
        boolean maximise = f.containsKey("maximise");
        Metric objective = metric(f.get(maximise ? "maximise" : "minimise"));
        Metric risk = f.containsKey("risk") ? metric(f.get("risk")) : Metric.MAX_BILL_INCREASE;
        List<Optimisation.Constraint> constraints = new ArrayList<>();
        if (f.containsKey("constraints")) {
            for (Map.Entry<String, YamlNode> entry : f.get("constraints").map().entrySet()) {
                constraints.add(constraint(entry.getKey(), entry.getValue()));
            }
        }
        YamlNode parametersNode = f.get("parameters");
        if (parametersNode == null) {
            throw node.error("optimise.parameters: is required (what to search, e.g. "
                    + "starter_fee: { path: plans.starter.base_fee, values: [2900, 3900] })");
        }
        Map<String, YamlNode> parameterNodes = parametersNode.map();
        if (parameterNodes.isEmpty()) {
            throw parametersNode.error("optimise.parameters: at least one parameter is required");
        }
        List<Optimisation.Parameter> parameters = new ArrayList<>();
        long size = 1;
        for (Map.Entry<String, YamlNode> entry : parameterNodes.entrySet()) {
            Optimisation.Parameter parameter = parameter(entry.getKey(), entry.getValue());
            parameters.add(parameter);
            size *= parameter.values().size();
            if (size > MAX_CANDIDATES) {
                throw entry.getValue().error("optimise.parameters: the grid has more than " + MAX_CANDIDATES
                        + " candidates; search fewer values or narrow the ranges");
            }
        }
        List<Optimisation.Candidate> candidates = new ArrayList<>();
        grid(parameters, parameterNodes, 0, new LinkedHashMap<>(), candidates);
        return new Optimisation(new Optimisation.Objective(objective, maximise), constraints, risk, parameters,
                candidates);
    }

    private Metric metric(YamlNode node) {
        Metric metric = Metric.fromWire(node.text());
        if (metric == null) {
            throw node.error(node.path() + ": unknown metric '" + node.text() + "'; expected one of " + Metric.names());
        }
        requireTrials(metric, node);
        return metric;
    }

    private void requireTrials(Metric metric, YamlNode at) {
        if (metric.needsTrials() && !trials) {
            throw at.error(at.path() + ": " + metric.wireName()
                    + " is a Monte Carlo percentile: it needs behaviour with churn or usage_growth");
        }
    }

    private Optimisation.Constraint constraint(String name, YamlNode node) {
        Metric metric = Metric.fromWire(name);
        if (metric == null) {
            throw node.keyError(node.path() + ": unknown metric '" + name + "'; expected one of " + Metric.names());
        }
        requireTrials(metric, node);
        Map<String, YamlNode> bounds = node.map(Set.of("min", "max"));
        if (bounds.isEmpty()) {
            throw node.error(node.path() + ": give a min, a max or both");
        }
        BigDecimal min = bounds.containsKey("min") ? bound(metric, bounds.get("min")) : null;
        BigDecimal max = bounds.containsKey("max") ? bound(metric, bounds.get("max")) : null;
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw node.error(node.path() + ": min is above max");
        }
        return new Optimisation.Constraint(metric, min, max);
    }

    /** A bound in the metric's reporting unit: money written in minor units becomes major units. */
    private BigDecimal bound(Metric metric, YamlNode node) {
        return switch (metric.unit()) {
            case PERCENT -> node.percent(true);
            case MONEY -> node.decimal().movePointLeft(currency.getDefaultFractionDigits());
            case COUNT -> node.decimal();
        };
    }

    private Optimisation.Parameter parameter(String name, YamlNode node) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw node.keyError(node.path() + ": a parameter name is letters, digits, _ . or -");
        }
        Map<String, YamlNode> f = node.map(PARAMETER);
        YamlNode pathNode = f.get("path");
        if (pathNode == null) {
            throw node.error(node.path() + ".path: is required, e.g. plans.starter.base_fee or "
                    + "plans.starter.prices.chat_tokens.tiers[1].unit_amount");
        }
        String path = pathNode.text();
        String[] parts = path.split("\\.", 3);
        if (parts.length < 3 || !parts[0].equals("plans") || !baselinePlans.containsKey(parts[1])) {
            throw pathNode.error(pathNode.path() + ": must be plans.<baseline plan>.<field>; plans are "
                    + String.join(", ", baselinePlans.keySet()));
        }
        List<BigDecimal> values = new ArrayList<>();
        if (f.containsKey("values")) {
            if (f.containsKey("from") || f.containsKey("to") || f.containsKey("step")) {
                throw node.error(node.path() + ": give values or from/to/step, not both");
            }
            Set<BigDecimal> seen = new HashSet<>();
            for (YamlNode value : f.get("values").list()) {
                BigDecimal v = value.decimal();
                if (!seen.add(v.stripTrailingZeros())) {
                    throw value.error(value.path() + ": " + v.toPlainString() + " is listed twice");
                }
                values.add(v);
            }
        } else {
            for (String key : List.of("from", "to", "step")) {
                if (!f.containsKey(key)) {
                    throw node.error(node.path() + "." + key + ": is required (or give values: [...])");
                }
            }
            BigDecimal from = f.get("from").decimal();
            BigDecimal to = f.get("to").decimal();
            BigDecimal step = f.get("step").decimal();
            if (step.signum() <= 0) {
                throw f.get("step").error(node.path() + ".step: must be positive");
            }
            if (to.compareTo(from) < 0) {
                throw f.get("to").error(node.path() + ".to: must not be below from");
            }
            // Exact decimal steps: 0.0004 + 2 × 0.00005 is 0.0005, never 0.00049999.
            for (BigDecimal v = from; v.compareTo(to) <= 0; v = v.add(step)) {
                values.add(v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros());
                if (values.size() > MAX_CANDIDATES) {
                    throw f.get("step").error(node.path() + ": more than " + MAX_CANDIDATES + " values");
                }
            }
        }
        if (values.isEmpty()) {
            throw node.error(node.path() + ": no values to try");
        }
        return new Optimisation.Parameter(name, path, values);
    }

    private void grid(List<Optimisation.Parameter> parameters, Map<String, YamlNode> nodes, int depth,
                      LinkedHashMap<String, BigDecimal> chosen, List<Optimisation.Candidate> out) {
        if (depth == parameters.size()) {
            out.add(candidate(parameters, nodes, chosen));
            return;
        }
        Optimisation.Parameter parameter = parameters.get(depth);
        for (BigDecimal value : parameter.values()) {
            chosen.put(parameter.name(), value);
            grid(parameters, nodes, depth + 1, chosen, out);
        }
        chosen.remove(parameter.name());
    }

    private Optimisation.Candidate candidate(List<Optimisation.Parameter> parameters, Map<String, YamlNode> nodes,
                                             Map<String, BigDecimal> values) {
        StringBuilder name = new StringBuilder();
        Map<String, YamlNode> changed = new LinkedHashMap<>();
        for (Optimisation.Parameter parameter : parameters) {
            BigDecimal value = values.get(parameter.name());
            name.append(name.isEmpty() ? "" : " ").append(parameter.name()).append('=').append(value.toPlainString());
            String[] parts = parameter.path().split("\\.", 3);
            YamlNode plan = changed.getOrDefault(parts[1], planNodes.get(parts[1]));
            try {
                changed.put(parts[1], plan.with(parts[2], value.toPlainString()));
            } catch (ScenarioException e) {
                throw nodes.get(parameter.name()).error("optimise.parameters." + parameter.name() + ": " + e.reason());
            }
        }
        if (takenNames.contains(name.toString())) {
            throw nodes.values().iterator().next().error("optimise: candidate '" + name + "' has a variant's name");
        }
        Map<String, Plan> plans = new LinkedHashMap<>(baselinePlans);
        for (Map.Entry<String, YamlNode> entry : changed.entrySet()) {
            try {
                plans.put(entry.getKey(), planParser.apply(entry.getKey(), entry.getValue()));
            } catch (ScenarioException e) {
                String culprit = parameters.stream().filter(p -> p.path().startsWith("plans." + entry.getKey() + "."))
                        .map(Optimisation.Parameter::name).findFirst().orElseThrow();
                throw nodes.get(culprit).error("optimise.parameters." + culprit + ": the candidate " + name
                        + " makes plan " + entry.getKey() + " invalid: " + e.reason());
            }
        }
        return new Optimisation.Candidate(values, new Variant(name.toString(), plans, Map.of(), Map.of(), List.of()));
    }
}
