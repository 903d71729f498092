package dev.marginal.simulations.scenario;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.price.Recurrence;

/**
 * Reads a scenario file (format: docs/simulations.md) into a {@link Scenario}, or refuses it with
 * file, line and reason. Prices are built by the pricing engine; everything that refers to a name
 * (a meter, a plan) is checked against the names the file defines.
 */
public final class ScenarioParser {

    private static final Set<String> TOP = Set.of("scenario", "currency", "meters", "plans", "customers", "variants",
            "behaviour", "optimise");
    private static final Set<String> PLAN = Set.of("base_fee", "credit", "minimum", "prices");
    private static final Set<String> VARIANT = Set.of("name", "plans", "move_customers", "move_plans", "costs");

    private final String file;
    private Currency currency;
    private Map<String, MeterDefinition> meters;

    private ScenarioParser(String file) {
        this.file = file;
    }

    public static Scenario parse(Path path) {
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (IOException e) {
            throw new ScenarioException(path.toString(), 0, "cannot read: " + e.getMessage());
        }
    }

    public static Scenario parse(String file, String yaml) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(yaml));
        } catch (MarkedYAMLException e) {
            throw new ScenarioException(file, e.getProblemMark().getLine() + 1, "not valid YAML: " + e.getProblem());
        }
        if (root == null) {
            throw new ScenarioException(file, 1, "the file is empty");
        }
        return new ScenarioParser(file).scenario(new YamlNode(file, root, ""));
    }

    private Scenario scenario(YamlNode root) {
        Map<String, YamlNode> top = root.map(TOP);
        String name = required(root, top, "scenario").text();
        YamlNode currencyNode = required(root, top, "currency");
        try {
            currency = Currency.getInstance(currencyNode.text().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw currencyNode.error("currency: unknown ISO-4217 currency '" + currencyNode.text() + "'");
        }
        meters = meters(required(root, top, "meters"));
        Map<String, Plan> plans = new LinkedHashMap<>();
        YamlNode plansNode = required(root, top, "plans");
        for (Map.Entry<String, YamlNode> entry : plansNode.map().entrySet()) {
            plans.put(entry.getKey(), plan(entry.getKey(), entry.getValue(), null));
        }
        if (plans.isEmpty()) {
            throw plansNode.error("plans: at least one plan is required");
        }

        YamlNode customers = required(root, top, "customers");
        Map<String, YamlNode> c = customers.map(Set.of("default_plan", "plans"));
        String defaultPlan = knownPlan(required(customers, c, "default_plan"), plans);
        Map<String, String> customerPlans = new LinkedHashMap<>();
        if (c.containsKey("plans")) {
            c.get("plans").map().forEach((customer, plan) -> customerPlans.put(customer, knownPlan(plan, plans)));
        }

        List<Variant> variants = new ArrayList<>();
        if (top.containsKey("variants") && !top.get("variants").isNull()) {
            Set<String> names = new java.util.HashSet<>(Set.of("baseline"));
            for (YamlNode v : top.get("variants").list()) {
                Variant variant = variant(v, plans);
                if (!names.add(variant.name())) {
                    throw v.error(v.path() + ".name: '" + variant.name() + "' is used twice (or is 'baseline')");
                }
                variants.add(variant);
            }
        }
        Behaviour behaviour = top.containsKey("behaviour") ? behaviour(top.get("behaviour")) : Behaviour.NONE;
        Optimisation optimisation = null;
        if (top.containsKey("optimise")) {
            Set<String> taken = new java.util.HashSet<>(Set.of("baseline"));
            variants.forEach(v -> taken.add(v.name()));
            optimisation = new OptimisationParser(currency, plansNode.map(), plans,
                    (planName, node) -> plan(planName, node, null), taken, behaviour.isStochastic())
                    .parse(top.get("optimise"));
        }
        return new Scenario(name, currency, meters, plans, defaultPlan, customerPlans, variants, behaviour,
                optimisation);
    }

    private Map<String, MeterDefinition> meters(YamlNode node) {
        Map<String, MeterDefinition> result = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> entry : node.map().entrySet()) {
            Map<String, YamlNode> m = entry.getValue().map(Set.of("event", "quantity"));
            String event = required(entry.getValue(), m, "event").text();
            MeterDefinition.Quantity quantity = MeterDefinition.Quantity.COUNT;
            if (m.containsKey("quantity")) {
                YamlNode q = m.get("quantity");
                quantity = java.util.Arrays.stream(MeterDefinition.Quantity.values())
                        .filter(k -> k.wireName().equals(q.text())).findFirst()
                        .orElseThrow(() -> q.error(q.path() + ": unknown quantity '" + q.text()
                                + "'; expected count, input_tokens, cached_input_tokens, output_tokens or total_tokens"));
            }
            result.put(entry.getKey(), new MeterDefinition(entry.getKey(), event, quantity));
        }
        if (result.isEmpty()) {
            throw node.error("meters: at least one meter is required");
        }
        return result;
    }

    /** A plan, or a variant's override of {@code base} (fields it gives replace the base's; prices merge per meter). */
    private Plan plan(String name, YamlNode node, Plan base) {
        Map<String, YamlNode> f = node.map(PLAN);
        FixedPrice baseFee = base == null ? null : base.baseFee();
        if (f.containsKey("base_fee")) {
            YamlNode fee = f.get("base_fee");
            try {
                baseFee = new FixedPrice(currency, fee.wholeNumber(), Recurrence.MONTHLY);
            } catch (PricingInputException e) {
                throw fee.error(fee.path() + ": " + e.reason());
            }
        }
        long credit = f.containsKey("credit") ? nonNegative(f.get("credit")) : base == null ? 0 : base.credit();
        long minimum = f.containsKey("minimum") ? nonNegative(f.get("minimum")) : base == null ? 0 : base.minimum();
        Map<String, Price> prices = new LinkedHashMap<>(base == null ? Map.of() : base.prices());
        if (f.containsKey("prices")) {
            for (Map.Entry<String, YamlNode> entry : f.get("prices").map().entrySet()) {
                YamlNode priceNode = entry.getValue();
                if (!meters.containsKey(entry.getKey())) {
                    throw priceNode.keyError(priceNode.path() + ": unknown meter '" + entry.getKey() + "'; meters are "
                            + String.join(", ", meters.keySet()));
                }
                if (priceNode.isNull()) {
                    prices.remove(entry.getKey());   // a variant stops billing this meter on this plan
                } else {
                    prices.put(entry.getKey(), PriceParser.parse(priceNode, currency));
                }
            }
        }
        return new Plan(name, baseFee, credit, minimum, prices);
    }

    private Variant variant(YamlNode node, Map<String, Plan> baselinePlans) {
        Map<String, YamlNode> f = node.map(VARIANT);
        String name = required(node, f, "name").text();
        Map<String, Plan> plans = new LinkedHashMap<>(baselinePlans);
        if (f.containsKey("plans")) {
            for (Map.Entry<String, YamlNode> entry : f.get("plans").map().entrySet()) {
                plans.put(entry.getKey(), plan(entry.getKey(), entry.getValue(), baselinePlans.get(entry.getKey())));
            }
        }
        Map<String, String> moveCustomers = new LinkedHashMap<>();
        if (f.containsKey("move_customers")) {
            f.get("move_customers").map().forEach((customer, plan) -> moveCustomers.put(customer, knownPlan(plan, plans)));
        }
        Map<String, String> movePlans = new LinkedHashMap<>();
        if (f.containsKey("move_plans")) {
            for (Map.Entry<String, YamlNode> entry : f.get("move_plans").map().entrySet()) {
                if (!baselinePlans.containsKey(entry.getKey())) {
                    throw entry.getValue().error(entry.getValue().path() + ": unknown baseline plan '" + entry.getKey() + "'");
                }
                movePlans.put(entry.getKey(), knownPlan(entry.getValue(), plans));
            }
        }
        List<CostChange> costs = new ArrayList<>();
        if (f.containsKey("costs")) {
            for (YamlNode change : f.get("costs").list()) {
                costs.add(CostChangeParser.parse(change, currency));
            }
        }
        return new Variant(name, plans, moveCustomers, movePlans, costs);
    }

    private Behaviour behaviour(YamlNode node) {
        Map<String, YamlNode> f = node.map(Set.of("seed", "trials", "churn", "usage_growth"));
        long seed = f.containsKey("seed") ? f.get("seed").wholeNumber() : 1;
        long trials = f.containsKey("trials") ? f.get("trials").wholeNumber() : 1000;
        if (trials < 1 || trials > 1_000_000) {
            throw f.get("trials").error("behaviour.trials: must be between 1 and 1,000,000, got " + trials);
        }
        List<Behaviour.ChurnPoint> churn = new ArrayList<>();
        if (f.containsKey("churn")) {
            for (YamlNode point : f.get("churn").list()) {
                Map<String, YamlNode> p = point.map(Set.of("bill_increase", "probability"));
                churn.add(new Behaviour.ChurnPoint(required(point, p, "bill_increase").percent(true),
                        required(point, p, "probability").probability()));
            }
            churn.sort(Comparator.comparing(Behaviour.ChurnPoint::billIncreasePct));
            for (int i = 1; i < churn.size(); i++) {
                if (churn.get(i).billIncreasePct().compareTo(churn.get(i - 1).billIncreasePct()) == 0) {
                    throw f.get("churn").error("behaviour.churn: two points for the same bill increase "
                            + churn.get(i).billIncreasePct().toPlainString() + "%");
                }
            }
        }
        BigDecimal mean = null;
        BigDecimal sd = null;
        if (f.containsKey("usage_growth")) {
            YamlNode growth = f.get("usage_growth");
            Map<String, YamlNode> g = growth.map(Set.of("monthly_mean", "monthly_sd"));
            mean = required(growth, g, "monthly_mean").percent(true);
            sd = g.containsKey("monthly_sd") ? g.get("monthly_sd").percent(false) : BigDecimal.ZERO;
            if (mean.compareTo(new BigDecimal("-100")) <= 0) {
                throw g.get("monthly_mean").error("behaviour.usage_growth.monthly_mean: must be above -100%");
            }
        }
        return new Behaviour(churn, mean, sd, (int) trials, seed);
    }

    private long nonNegative(YamlNode node) {
        long value = node.wholeNumber();
        if (value < 0) {
            throw node.error(node.path() + ": must not be negative, got " + value);
        }
        return value;
    }

    private static String knownPlan(YamlNode node, Map<String, Plan> plans) {
        String plan = node.text();
        if (!plans.containsKey(plan)) {
            throw node.error(node.path() + ": unknown plan '" + plan + "'; plans are " + String.join(", ", plans.keySet()));
        }
        return plan;
    }

    private static YamlNode required(YamlNode parent, Map<String, YamlNode> fields, String key) {
        YamlNode node = fields.get(key);
        if (node == null) {
            String path = parent.path().isEmpty() ? key : parent.path() + "." + key;
            throw parent.error(path + ": is required");
        }
        return node;
    }
}
