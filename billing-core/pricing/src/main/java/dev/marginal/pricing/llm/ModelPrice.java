package dev.marginal.pricing.llm;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One model's list price over a period {@code [effectiveFrom, effectiveTo)}, in US dollars per
 * million tokens — the unit every vendor publishes, so a catalog row reads like the vendor's page.
 *
 * <p>{@code cachedInputUsdPerMillion} is null when the vendor has no cached-input rate; cached
 * tokens are then priced at the input rate. {@code override} marks an organisation's own
 * (negotiated) price, which wins over the public list price in effect at the same time.
 *
 * @param id the catalog row, recorded on every event it priced
 */
public record ModelPrice(String id, String vendor, String model, BigDecimal inputUsdPerMillion,
                         BigDecimal cachedInputUsdPerMillion, BigDecimal outputUsdPerMillion,
                         Instant effectiveFrom, Instant effectiveTo, boolean override) {

    public ModelPrice {
        Objects.requireNonNull(id, "id");
        vendor = key(vendor);
        model = key(model);
        requireRate(inputUsdPerMillion, "input");
        requireRate(outputUsdPerMillion, "output");
        if (cachedInputUsdPerMillion != null) {
            requireRate(cachedInputUsdPerMillion, "cached input");
        }
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        if (effectiveTo != null && !effectiveTo.isAfter(effectiveFrom)) {
            throw new IllegalArgumentException("effectiveTo must be after effectiveFrom: " + effectiveFrom + " .. "
                    + effectiveTo);
        }
    }

    /** Vendors and models match case-insensitively: {@code OpenAI/GPT-4o} is {@code openai/gpt-4o}. */
    public static String key(String name) {
        return Objects.requireNonNull(name, "vendor and model").strip().toLowerCase(Locale.ROOT);
    }

    public boolean isInEffectAt(Instant at) {
        return !at.isBefore(effectiveFrom) && (effectiveTo == null || at.isBefore(effectiveTo));
    }

    /** The rate cached input tokens are billed at. */
    public BigDecimal cachedRate() {
        return cachedInputUsdPerMillion != null ? cachedInputUsdPerMillion : inputUsdPerMillion;
    }

    private static void requireRate(BigDecimal rate, String what) {
        Objects.requireNonNull(rate, what + " price");
        if (rate.signum() < 0) {
            throw new IllegalArgumentException(what + " price is negative: " + rate);
        }
    }
}
