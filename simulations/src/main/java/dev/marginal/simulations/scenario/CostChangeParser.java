package dev.marginal.simulations.scenario;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.Set;

import dev.marginal.pricing.llm.ModelPrice;

/** Reads one entry of a variant's {@code costs:} list: vendor_price, substitute or discount. */
final class CostChangeParser {

    private static final Set<String> RATES = Set.of("input", "cached_input", "output");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private CostChangeParser() {
    }

    static CostChange parse(YamlNode node, Currency currency) {
        Map<String, YamlNode> entry = node.map(Set.of("vendor_price", "substitute", "discount"));
        if (entry.size() != 1) {
            throw node.error(node.path() + ": one of vendor_price, substitute or discount per list item");
        }
        Map.Entry<String, YamlNode> only = entry.entrySet().iterator().next();
        YamlNode body = only.getValue();
        return switch (only.getKey()) {
            case "vendor_price" -> vendorPrice(body, currency);
            case "substitute" -> substitution(body, currency);
            default -> discount(body);
        };
    }

    private static CostChange vendorPrice(YamlNode node, Currency currency) {
        Map<String, YamlNode> f = node.map(union(Set.of("vendor", "model"), RATES));
        String vendor = required(node, f, "vendor").text();
        String model = required(node, f, "model").text();
        return new CostChange.VendorPrice(ModelPrice.key(vendor), ModelPrice.key(model),
                modelPrice(node, f, vendor, model, currency));
    }

    private static CostChange substitution(YamlNode node, Currency currency) {
        Map<String, YamlNode> f = node.map(union(Set.of("from", "to", "share"), RATES));
        String[] from = model(required(node, f, "from"));
        String[] to = model(required(node, f, "to"));
        YamlNode shareNode = required(node, f, "share");
        BigDecimal share = shareNode.percent(false);
        if (share.compareTo(HUNDRED) > 0) {
            throw shareNode.error(shareNode.path() + ": a share of traffic lies between 0% and 100%, got "
                    + shareNode.text());
        }
        return new CostChange.Substitution(from[0], from[1], to[0], to[1], share.movePointLeft(2),
                modelPrice(node, f, to[0], to[1], currency));
    }

    private static CostChange discount(YamlNode node) {
        Map<String, YamlNode> f = node.map(Set.of("vendor", "model", "percent"));
        String vendor = ModelPrice.key(required(node, f, "vendor").text());
        String model = f.containsKey("model") ? ModelPrice.key(f.get("model").text()) : null;
        YamlNode percentNode = required(node, f, "percent");
        BigDecimal percent = percentNode.percent(false);
        if (percent.signum() == 0 || percent.compareTo(HUNDRED) > 0) {
            throw percentNode.error(percentNode.path() + ": a discount lies above 0% and at most 100%, got "
                    + percentNode.text());
        }
        return new CostChange.Discount(vendor, model, percent);
    }

    /** Rates in USD per million tokens, as vendors publish them (and as the engine's LlmCost takes them). */
    private static ModelPrice modelPrice(YamlNode node, Map<String, YamlNode> f, String vendor, String model,
                                         Currency currency) {
        if (!currency.getCurrencyCode().equals("USD")) {
            throw node.error(node.path() + ": token prices are in USD per million tokens, but the scenario is in "
                    + currency.getCurrencyCode() + "; re-costing tokens needs a USD scenario");
        }
        BigDecimal input = rate(required(node, f, "input"));
        BigDecimal output = rate(required(node, f, "output"));
        BigDecimal cached = f.containsKey("cached_input") ? rate(f.get("cached_input")) : null;
        return new ModelPrice("scenario", vendor, model, input, cached, output, Instant.EPOCH, null, true);
    }

    private static BigDecimal rate(YamlNode node) {
        BigDecimal rate = node.decimal();
        if (rate.signum() < 0) {
            throw node.error(node.path() + ": a price per million tokens must not be negative, got " + rate.toPlainString());
        }
        return rate;
    }

    private static String[] model(YamlNode node) {
        String text = node.text();
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw node.error(node.path() + ": write a model as vendor/model, e.g. openai/gpt-4o; got '" + text + "'");
        }
        return new String[] {ModelPrice.key(text.substring(0, slash)), ModelPrice.key(text.substring(slash + 1))};
    }

    private static YamlNode required(YamlNode parent, Map<String, YamlNode> fields, String key) {
        YamlNode node = fields.get(key);
        if (node == null) {
            throw parent.error(parent.path() + "." + key + ": is required");
        }
        return node;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
