package dev.marginal.simulations.scenario;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.price.FreePrice;
import dev.marginal.pricing.price.GraduatedPrice;
import dev.marginal.pricing.price.MeteredUnitPrice;
import dev.marginal.pricing.price.PackagePrice;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.price.VolumePrice;
import dev.marginal.pricing.tier.Tier;
import dev.marginal.pricing.tier.Tiers;

/**
 * Builds a usage {@link Price} from its YAML, in the API's own field names, and lets the pricing
 * engine decide whether it is valid. A {@link PricingInputException} names a field such as
 * {@code tiers[1].from}; it is mapped back to that field's line in the file.
 */
final class PriceParser {

    private static final Set<String> KEYS = Set.of("type", "unit_amount", "cap_amount", "included_units", "tiers",
            "package_size", "package_amount", "round");
    private static final Set<String> TIER_KEYS = Set.of("from", "up_to", "unit_amount", "flat_amount");
    private static final Pattern INDEXED = Pattern.compile("([a-z_]+)\\[(\\d+)]");

    private PriceParser() {
    }

    static Price parse(YamlNode node, Currency currency) {
        Map<String, YamlNode> fields = node.map(KEYS);
        YamlNode typeNode = fields.get("type");
        if (typeNode == null) {
            throw node.error(node.path() + ".type: is required (metered_unit, graduated, volume, package or free)");
        }
        try {
            return switch (typeNode.text()) {
                case "metered_unit" -> new MeteredUnitPrice(currency, decimal(fields, "unit_amount"),
                        fields.containsKey("cap_amount") ? fields.get("cap_amount").wholeNumber() : null,
                        optionalDecimal(fields, "included_units"));
                case "graduated" -> new GraduatedPrice(currency, tiers(node, fields));
                case "volume" -> new VolumePrice(currency, tiers(node, fields));
                case "package" -> new PackagePrice(currency, decimal(fields, "package_size"),
                        decimal(fields, "package_amount"),
                        PackagePrice.PackageRounding.fromWire(fields.containsKey("round") ? fields.get("round").text() : "up"),
                        optionalDecimal(fields, "included_units"));
                case "free" -> new FreePrice(currency);
                default -> throw typeNode.error(typeNode.path() + ": unknown price type '" + typeNode.text()
                        + "'; expected metered_unit, graduated, volume, package or free");
            };
        } catch (PricingInputException e) {
            YamlNode at = locate(node, e.field());
            throw at.error(node.path() + "." + e.field() + ": " + e.reason());
        }
    }

    private static Tiers tiers(YamlNode price, Map<String, YamlNode> fields) {
        YamlNode tiersNode = fields.get("tiers");
        if (tiersNode == null) {
            throw new PricingInputException("tiers", "are required for a tiered price");
        }
        List<YamlNode> items = tiersNode.list();
        boolean lagoShape = items.stream().anyMatch(t -> t.map(TIER_KEYS).containsKey("from"));
        if (lagoShape) {
            // Explicit bounds can overlap or leave gaps: the engine's Tiers finds and names them.
            List<Tier> tiers = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Map<String, YamlNode> t = items.get(i).map(TIER_KEYS);
                try {
                    tiers.add(new Tier(t.containsKey("from") ? t.get("from").decimal() : null, upTo(t),
                            decimal(t, "unit_amount"), optionalDecimal(t, "flat_amount")));
                } catch (PricingInputException e) {
                    throw new PricingInputException("tiers[" + i + "]." + e.field(), e.reason());
                }
            }
            return new Tiers(tiers);
        }
        Tiers.Builder builder = Tiers.builder();
        for (YamlNode item : items) {
            Map<String, YamlNode> t = item.map(TIER_KEYS);
            builder.tier(upTo(t), decimal(t, "unit_amount"), optionalDecimal(t, "flat_amount"));
        }
        return builder.build();
    }

    /** {@code up_to: inf} (Stripe's spelling), {@code null} or a missing key is the unbounded last tier. */
    private static BigDecimal upTo(Map<String, YamlNode> tier) {
        YamlNode node = tier.get("up_to");
        if (node == null || node.isNull() || node.text().equals("inf")) {
            return null;
        }
        return node.decimal();
    }

    private static BigDecimal decimal(Map<String, YamlNode> fields, String key) {
        YamlNode node = fields.get(key);
        return node == null ? null : node.decimal();
    }

    private static BigDecimal optionalDecimal(Map<String, YamlNode> fields, String key) {
        return decimal(fields, key);
    }

    /** The node a pricing field path such as {@code tiers[1].up_to} points at; the closest one that exists. */
    static YamlNode locate(YamlNode price, String field) {
        YamlNode at = price;
        for (String part : field.split("\\.")) {
            if (!at.isMap()) {
                return at;
            }
            Matcher indexed = INDEXED.matcher(part);
            String key = indexed.matches() ? indexed.group(1) : part;
            YamlNode next = at.map().get(key);
            if (next == null) {
                return at;
            }
            at = next;
            if (indexed.matches()) {
                List<YamlNode> items = at.list();
                int index = Integer.parseInt(indexed.group(2));
                if (index >= items.size()) {
                    return at;
                }
                at = items.get(index);
            }
        }
        return at;
    }
}
