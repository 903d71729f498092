package dev.marginal.billing.product;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.marginal.billing.http.Body;
import dev.marginal.billing.problem.Violations;
import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.FreePrice;
import dev.marginal.pricing.price.GraduatedPrice;
import dev.marginal.pricing.price.MeteredUnitPrice;
import dev.marginal.pricing.price.OneTimePrice;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.price.Recurrence;
import dev.marginal.pricing.price.VolumePrice;
import dev.marginal.pricing.tier.Tier;
import dev.marginal.pricing.tier.Tiers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Polar's {@code ProductCreate} and {@code ProductUpdate}. Every price is validated by constructing
 * the pricing engine's record; the engine's {@link PricingInputException#field()} becomes the 422 {@code loc}.
 */
final class ProductRules {

    /** Polar's {@code TaxBehaviorOption}. */
    static final Set<String> TAX_BEHAVIORS = Set.of("location", "inclusive", "exclusive");
    static final Set<String> AMOUNT_TYPES = Set.of("fixed", "free", "metered_unit", "metered_tiered");
    private static final Set<String> POLAR_ONLY_AMOUNT_TYPES = Set.of("custom", "seat_based", "unit_based");
    private static final Set<String> VISIBILITIES = Set.of("draft", "private", "public");
    private static final Set<String> TRIAL_INTERVALS = Set.of("day", "week", "month", "year");
    private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern TIER_FIELD = Pattern.compile("tiers\\[(\\d+)]\\.(\\w+)");
    private static final int MAX_PRICES = 100;

    private ProductRules() {
    }

    static ProductDraft create(JsonNode json) {
        Body body = Body.of(json, new Violations());
        if (body.has("organization_id")) {
            body.violations().add(Body.loc("organization_id"),
                    "Setting organization_id is disallowed when using an organization token.", "organization_token");
        }
        unsupported(body);
        String name = name(body, true);
        Recurrence recurrence = recurrence(body);
        String[] trial = trial(body, recurrence != null || body.violations().count() > 0);
        List<ProductDraft.PriceChange> prices = prices(body, recurrence, false);
        body.violations().throwIfAny();
        return new ProductDraft(name, body.text("description", false, 10_000), false, visibility(body), recurrence,
                trial[0], trial[1] == null ? null : Integer.valueOf(trial[1]), body.metadata(), false, prices);
    }

    /** {@code recurrence} is the stored product's: Polar lets it be set only once. */
    static ProductDraft update(JsonNode json, Recurrence recurrence) {
        Body body = Body.of(json, new Violations());
        unsupported(body);
        String name = name(body, false);
        if (body.has("recurring_interval") || body.has("recurring_interval_count")) {
            Recurrence sent = recurrence(body);
            if (sent != null && !sent.equals(recurrence)) {
                body.violations().add(Body.loc("recurring_interval"),
                        "The recurring interval of a product cannot be changed once set.", "value_error");
            }
        }
        String[] trial = body.sent("trial_interval") || body.sent("trial_interval_count")
                ? trial(body, recurrence != null) : new String[] {null, null};
        List<ProductDraft.PriceChange> prices = body.has("prices") ? prices(body, recurrence, true) : null;
        String description = body.text("description", false, 10_000);
        String visibility = body.has("visibility") ? visibility(body) : null;
        Boolean archived = body.bool("is_archived");
        body.violations().throwIfAny();
        return new ProductDraft(name, description, body.sent("description") && description == null, visibility,
                recurrence, trial[0], trial[1] == null ? null : Integer.valueOf(trial[1]),
                body.has("metadata") ? body.metadata() : null, archived, prices);
    }

    /** Polar fields Marginal cannot honour yet are refused rather than silently dropped. */
    private static void unsupported(Body body) {
        for (String field : List.of("medias", "attached_custom_fields", "meter_interval", "meter_interval_count")) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull() && !(value.isArray() && value.isEmpty())) {
                body.violations().add(Body.loc(field), field + " is not supported yet", "value_error");
            }
        }
    }

    /** Polar: 3 to 64 characters once stripped. */
    private static String name(Body body, boolean required) {
        String name = body.text("name", required, 64);
        if (name != null && name.strip().length() < 3) {
            body.violations().add(Body.loc("name"), "String should have at least 3 characters", "string_too_short");
            return null;
        }
        return name == null ? null : name.strip();
    }

    private static String visibility(Body body) {
        String visibility = body.text("visibility", false, 20);
        if (visibility == null) {
            return "public";
        }
        if (!VISIBILITIES.contains(visibility)) {
            body.violations().add(Body.loc("visibility"), "Input should be 'draft', 'private' or 'public'", "enum");
        }
        return visibility;
    }

    /** Month or year, as the engine's {@link Recurrence}; null for a one-time product. */
    private static Recurrence recurrence(Body body) {
        String interval = body.text("recurring_interval", false, 10);
        Integer count = integer(body, body.get("recurring_interval_count"), Body.loc("recurring_interval_count"));
        if (interval == null) {
            if (count != null) {
                body.violations().add(Body.loc("recurring_interval_count"),
                        "One-time products don't have a recurring interval count.", "value_error");
            }
            return null;
        }
        if (interval.equals("day") || interval.equals("week")) {
            body.violations().add(Body.loc("recurring_interval"),
                    "Only month and year intervals are supported yet", "value_error");
            return null;
        }
        try {
            return new Recurrence(Recurrence.Interval.fromWire(interval), count == null ? 1 : count);
        } catch (PricingInputException e) {
            body.violations().add(Body.loc(e.field()), e.reason(), "value_error");
            return null;
        }
    }

    /** Polar's trial configuration: {@code trial_interval} day|week|month|year × {@code trial_interval_count}. */
    private static String[] trial(Body body, boolean recurring) {
        String interval = body.text("trial_interval", false, 10);
        Integer count = integer(body, body.get("trial_interval_count"), Body.loc("trial_interval_count"));
        if (interval != null && !TRIAL_INTERVALS.contains(interval)) {
            body.violations().add(Body.loc("trial_interval"), "Input should be 'day', 'week', 'month' or 'year'",
                    "enum");
        }
        if (count != null && (count < 1 || count > 1000)) {
            body.violations().add(Body.loc("trial_interval_count"), "Input should be between 1 and 1000",
                    "less_than_equal");
        }
        if ((interval == null) != (count == null)) {
            body.violations().add(Body.loc(interval == null ? "trial_interval" : "trial_interval_count"),
                    "trial_interval and trial_interval_count are set together", "missing");
        }
        if (interval != null && !recurring) {
            body.violations().add(Body.loc("trial_interval"), "Only recurring products can have a trial",
                    "value_error");
        }
        return new String[] {interval, count == null ? null : count.toString()};
    }

    private static List<ProductDraft.PriceChange> prices(Body body, Recurrence recurrence, boolean update) {
        JsonNode prices = body.get("prices");
        List<ProductDraft.PriceChange> out = new ArrayList<>();
        if (prices == null || prices.isNull()) {
            body.violations().add(Body.loc("prices"), "Field required", "missing");
            return out;
        }
        if (!prices.isArray()) {
            body.violations().add(Body.loc("prices"), "Input should be a valid list", "list_type");
            return out;
        }
        if (prices.isEmpty() || prices.size() > MAX_PRICES) {
            body.violations().add(Body.loc("prices"), "List should have 1 to " + MAX_PRICES + " items",
                    prices.isEmpty() ? "too_short" : "too_long");
            return out;
        }
        for (int i = 0; i < prices.size(); i++) {
            JsonNode price = prices.get(i);
            if (update && price.isObject() && price.has("id") && !price.has("amount_type")) {
                String id = price.get("id").isString() ? price.get("id").stringValue() : "";
                if (UUID_TEXT.matcher(id).matches()) {
                    out.add(new ProductDraft.PriceChange(i, UUID.fromString(id), null));
                } else {
                    body.violations().add(Body.loc("prices", i, "id"), "Input should be a valid UUID", "uuid_parsing");
                }
                continue;
            }
            PriceDraft draft = price(price, i, recurrence, body.violations());
            if (draft != null) {
                out.add(new ProductDraft.PriceChange(i, null, draft));
            }
        }
        return out;
    }

    /** One price; null (with its violations recorded) when it is invalid. */
    static PriceDraft price(JsonNode json, int index, Recurrence recurrence, Violations violations) {
        if (json == null || !json.isObject()) {
            violations.add(Body.loc("prices", index), "Input should be a valid dictionary", "dict_type");
            return null;
        }
        Body price = Body.of(json, new Violations());
        String type = price.text("amount_type", true, 30);
        int before = price.violations().count();
        Currency currency = currency(price);
        PriceDraft draft = null;
        if (type != null && POLAR_ONLY_AMOUNT_TYPES.contains(type)) {
            price.violations().add(Body.loc("amount_type"), "amount_type " + type + " is not supported yet",
                    "value_error");
        } else if (type != null && !AMOUNT_TYPES.contains(type)) {
            price.violations().add(Body.loc("amount_type"),
                    "Input should be 'fixed', 'free', 'metered_unit' or 'metered_tiered'", "union_tag_invalid");
        } else if (type != null && type.startsWith("metered_") && recurrence == null) {
            price.violations().add(Body.loc("amount_type"), "Metered prices need a recurring product",
                    "value_error");
        } else if (type != null) {
            UUID meterId = type.startsWith("metered_") ? meterId(price) : null;
            try {
                draft = switch (type) {
                    case "fixed" -> fixed(price, currency, recurrence);
                    case "free" -> new PriceDraft(type, new FreePrice(currency), null, null);
                    case "metered_unit" -> meteredUnit(price, currency, meterId);
                    default -> tiered(price, currency, meterId);
                };
            } catch (PricingInputException e) {
                price.violations().add(loc(e.field()), e.reason(), "value_error");
            }
        }
        String taxBehavior = price.text("tax_behavior", false, 20);
        if (taxBehavior != null && !TAX_BEHAVIORS.contains(taxBehavior)) {
            price.violations().add(Body.loc("tax_behavior"), "Input should be 'location', 'inclusive' or 'exclusive'",
                    "enum");
        } else if (draft != null) {
            draft = draft.withTaxBehavior(taxBehavior);
        }
        for (var error : price.violations().errors()) {
            List<Object> loc = new ArrayList<>(List.of("body", "prices", index));
            loc.addAll(error.loc().subList(1, error.loc().size()));
            violations.add(loc, error.msg(), error.type());
        }
        return price.violations().count() > before || draft == null ? null : draft;
    }

    /** The engine names {@code tiers[2].up_to}; the wire has Polar's {@code tiers.tiers[2].bound}. */
    private static List<Object> loc(String field) {
        Matcher tier = TIER_FIELD.matcher(field);
        if (tier.matches()) {
            String name = tier.group(2).equals("up_to") || tier.group(2).equals("from") ? "bound" : tier.group(2);
            return Body.loc("tiers", "tiers", Integer.parseInt(tier.group(1)), name);
        }
        return field.equals("tiers") ? Body.loc("tiers", "tiers") : Body.loc(field);
    }

    /** Polar's default is usd; Marginal keeps Polar's lower-case spelling and stores it so. */
    private static Currency currency(Body price) {
        String code = price.text("price_currency", false, 3);
        if (code == null) {
            return price.has("price_currency") ? null : Currency.getInstance("USD");
        }
        try {
            if (CURRENCY.matcher(code).matches()) {
                return Currency.getInstance(code.toUpperCase(java.util.Locale.ROOT));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        price.violations().add(Body.loc("price_currency"), "Input should be an ISO 4217 currency code in lower case",
                "enum");
        return null;
    }

    private static PriceDraft fixed(Body price, Currency currency, Recurrence recurrence) {
        Long amount = whole(price, "price_amount", true);
        if (amount == null || currency == null) {
            return null;
        }
        Price engine = recurrence == null ? new OneTimePrice(currency, amount)
                : new FixedPrice(currency, amount, recurrence);
        return new PriceDraft("fixed", engine, null, null);
    }

    private static PriceDraft meteredUnit(Body price, Currency currency, UUID meterId) {
        BigDecimal unitAmount = price.decimal("unit_amount", true);
        Long cap = whole(price, "cap_amount", false);
        if (unitAmount != null && unitAmount.signum() <= 0) {
            price.violations().add(Body.loc("unit_amount"), "Input should be greater than 0", "greater_than");
            return null;
        }
        if (unitAmount == null || currency == null || meterId == null) {
            return null;
        }
        return new PriceDraft("metered_unit", new MeteredUnitPrice(currency, unitAmount, cap, BigDecimal.ZERO),
                meterId, null);
    }

    /**
     * Polar's tiers object ({@code {"type": "graduated"|"volume", "tiers": [{"bound", "unit_amount"}]}},
     * the last tier unbounded) plus Marginal's optional {@code flat_amount} per tier.
     */
    private static PriceDraft tiered(Body price, Currency currency, UUID meterId) {
        JsonNode tiers = price.get("tiers");
        if (tiers == null || !tiers.isObject()) {
            price.violations().add(Body.loc("tiers"), tiers == null ? "Field required" : "Input should be an object",
                    tiers == null ? "missing" : "dict_type");
            return null;
        }
        Body object = Body.of(tiers, new Violations());
        String mode = object.text("type", true, 20);
        if (mode != null && !mode.equals("graduated") && !mode.equals("volume")) {
            price.violations().add(Body.loc("tiers", "type"), "Input should be 'graduated' or 'volume'", "enum");
        }
        JsonNode list = tiers.get("tiers");
        if (list == null || !list.isArray() || list.isEmpty()) {
            price.violations().add(Body.loc("tiers", "tiers"), "List should have at least 1 item", "too_short");
            return null;
        }
        List<Tier> built = new ArrayList<>();
        ArrayNode stored = JsonNodeFactory.instance.arrayNode();
        BigDecimal from = BigDecimal.ZERO;
        for (int k = 0; k < list.size(); k++) {
            if (!list.get(k).isObject()) {
                price.violations().add(Body.loc("tiers", "tiers", k), "Input should be an object", "dict_type");
                return null;
            }
            JsonNode tier = list.get(k);
            List<Object> at = Body.loc("tiers", "tiers", k);
            BigDecimal bound = decimal(tier, "bound", false, at, price.violations());
            BigDecimal unit = decimal(tier, "unit_amount", true, at, price.violations());
            BigDecimal flat = decimal(tier, "flat_amount", false, at, price.violations());
            if (unit == null || (bound == null && tier.has("bound") && !tier.get("bound").isNull())) {
                return null;
            }
            try {
                built.add(new Tier(from, bound, unit, flat));
            } catch (PricingInputException e) {
                throw new PricingInputException("tiers[" + k + "]." + e.field(), e.reason());
            }
            ObjectNode row = stored.addObject();
            row.put("bound", bound);
            row.put("unit_amount", unit.toPlainString());
            row.put("flat_amount", (flat == null ? BigDecimal.ZERO : flat).toPlainString());
            from = bound == null ? from : bound;
        }
        if (mode == null || currency == null || meterId == null || !price.violations().isEmpty()) {
            return null;
        }
        Tiers engineTiers = new Tiers(built);
        Price engine = mode.equals("graduated") ? new GraduatedPrice(currency, engineTiers)
                : new VolumePrice(currency, engineTiers);
        ObjectNode normalized = JsonNodeFactory.instance.objectNode();
        normalized.put("type", mode);
        normalized.set("tiers", stored);
        return new PriceDraft("metered_tiered", engine, meterId, normalized);
    }

    private static BigDecimal decimal(JsonNode tier, String field, boolean required, List<Object> at,
                                      Violations violations) {
        JsonNode value = tier.get(field);
        List<Object> loc = new ArrayList<>(at);
        loc.add(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(loc, "Field required", "missing");
            }
            return null;
        }
        try {
            if (value.isNumber()) {
                return value.decimalValue();
            }
            if (value.isString()) {
                return new BigDecimal(value.stringValue().strip());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(loc, "Input should be a valid decimal", "decimal_parsing");
        return null;
    }

    private static UUID meterId(Body price) {
        String id = price.text("meter_id", true, 36);
        if (id == null) {
            return null;
        }
        if (!UUID_TEXT.matcher(id).matches()) {
            price.violations().add(Body.loc("meter_id"), "Input should be a valid UUID", "uuid_parsing");
            return null;
        }
        return UUID.fromString(id);
    }

    /** A JSON integer (Polar's {@code int} fields); null when absent. */
    private static Long whole(Body body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                body.violations().add(Body.loc(field), "Field required", "missing");
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            body.violations().add(Body.loc(field), "Input should be a valid integer", "int_type");
            return null;
        }
        return value.longValue();
    }

    private static Integer integer(Body body, JsonNode value, List<Object> loc) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            body.violations().add(loc, "Input should be a valid integer", "int_type");
            return null;
        }
        return value.intValue();
    }
}
