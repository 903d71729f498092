package dev.marginal.pricing.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LlmCostTest {

    private static final Instant JAN = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant JUNE_10 = Instant.parse("2025-06-10T00:00:00Z");

    /** gpt-4o's list price: $2.50 input, $1.25 cached input, $10.00 output per million tokens. */
    private static final ModelPrice GPT_4O = new ModelPrice("gpt-4o", "openai", "gpt-4o", new BigDecimal("2.50"),
            new BigDecimal("1.25"), new BigDecimal("10.00"), JAN, null, false);

    @Test
    void aCallCostsItsTokensAtTheListPriceInCents() {
        // 812 × $2.50 + 95 × $10.00 = $2,030 + $950 = $2,980 per million calls' worth of tokens
        // → $0.002980 = 0.2980 cents.
        assertThat(LlmCost.cents(new TokenUsage(812, 0, 95), GPT_4O)).isEqualByComparingTo("0.298");
        assertThat(LlmCost.cents(new TokenUsage(812, 0, 95), GPT_4O).scale()).isEqualTo(12);
    }

    @Test
    void cachedInputTokensArePricedAtTheCachedRate() {
        // 812 input of which 512 cached: 300 × 2.50 + 512 × 1.25 + 95 × 10.00 = 750 + 640 + 950 = 2,340
        // → $0.002340 = 0.2340 cents (0.0640 cents cheaper than uncached).
        assertThat(LlmCost.cents(new TokenUsage(812, 512, 95), GPT_4O)).isEqualByComparingTo("0.234");
    }

    @Test
    void withoutACachedRateCachedTokensCostTheInputRate() {
        ModelPrice mistral = new ModelPrice("m", "mistral", "mistral-large-latest", new BigDecimal("2"), null,
                new BigDecimal("6"), JAN, null, false);
        // 1,000 × $2 + 500 × $6 = 5,000 → $0.005 = 0.5 cents, cached or not.
        assertThat(LlmCost.cents(new TokenUsage(1000, 600, 500), mistral)).isEqualByComparingTo("0.5");
        assertThat(LlmCost.cents(new TokenUsage(1000, 0, 500), mistral)).isEqualByComparingTo("0.5");
    }

    @Test
    void moreCachedThanInputTokensPricesAllInputAsCachedNeverNegative() {
        // 100 input all cached: 100 × 1.25 = 125 → 0.0125 cents.
        assertThat(LlmCost.cents(new TokenUsage(100, 150, 0), GPT_4O)).isEqualByComparingTo("0.0125");
    }

    @Test
    void aSingleTokenIsStillExactToTwelveDecimals() {
        ModelPrice nano = new ModelPrice("n", "openai", "gpt-5-nano", new BigDecimal("0.05"), new BigDecimal("0.005"),
                new BigDecimal("0.40"), JAN, null, false);
        // 1 cached token × $0.005 / 1M = $0.000000005 = 0.0000005 cents.
        assertThat(LlmCost.cents(new TokenUsage(1, 1, 0), nano)).isEqualByComparingTo("0.0000005");
    }

    @Test
    void costUsesThePriceInEffectAtTheEventTime() {
        // o3 cost $10 / $40 until 10 June 2025, then $2 / $8.
        ModelPrice before = new ModelPrice("o3-launch", "openai", "o3", new BigDecimal("10"), new BigDecimal("2.50"),
                new BigDecimal("40"), Instant.parse("2025-04-16T00:00:00Z"), JUNE_10, false);
        ModelPrice after = new ModelPrice("o3-cut", "openai", "o3", new BigDecimal("2"), new BigDecimal("0.50"),
                new BigDecimal("8"), JUNE_10, null, false);
        ModelPriceCatalog catalog = ModelPriceCatalog.of(List.of(after, before));

        assertThat(catalog.priceAt("OpenAI", "O3", JUNE_10.minusNanos(1000))).contains(before);
        assertThat(catalog.priceAt("openai", "o3", JUNE_10)).contains(after);
        assertThat(catalog.priceAt("openai", "o3", Instant.parse("2025-01-01T00:00:00Z"))).isEmpty();
        assertThat(catalog.priceAt("openai", "o4", JUNE_10)).isEmpty();
    }

    @Test
    void anOrganizationsOwnPriceWinsOverTheListPrice() {
        ModelPrice negotiated = new ModelPrice("deal", "openai", "gpt-4o", new BigDecimal("2.00"), null,
                new BigDecimal("8.00"), Instant.parse("2025-03-01T00:00:00Z"), null, true);
        ModelPriceCatalog catalog = ModelPriceCatalog.of(List.of(GPT_4O, negotiated));

        assertThat(catalog.priceAt("openai", "gpt-4o", Instant.parse("2025-02-01T00:00:00Z"))).contains(GPT_4O);
        assertThat(catalog.priceAt("openai", "gpt-4o", Instant.parse("2025-04-01T00:00:00Z"))).contains(negotiated);
    }

    @Test
    void aPriceEndsAfterItStartsAndIsNeverNegative() {
        assertThatThrownBy(() -> new ModelPrice("x", "v", "m", BigDecimal.ONE, null, BigDecimal.ONE, JUNE_10, JUNE_10,
                false)).hasMessageContaining("effectiveTo");
        assertThatThrownBy(() -> new ModelPrice("x", "v", "m", new BigDecimal("-1"), null, BigDecimal.ONE, JAN, null,
                false)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new TokenUsage(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void cachingNeverMakesACallDearerWhenTheCachedRateIsLower(@ForAll @LongRange(max = 10_000_000) long input,
                                                             @ForAll @LongRange(max = 10_000_000) long cached,
                                                             @ForAll @LongRange(max = 10_000_000) long output) {
        BigDecimal withCache = LlmCost.cents(new TokenUsage(input, cached, output), GPT_4O);
        BigDecimal withoutCache = LlmCost.cents(new TokenUsage(input, 0, output), GPT_4O);
        assertThat(withCache).isLessThanOrEqualTo(withoutCache);
    }

    @Property
    void theCostOfTwoCallsIsTheSumOfTheirCosts(@ForAll @LongRange(max = 1_000_000) long a,
                                               @ForAll @LongRange(max = 1_000_000) long b) {
        BigDecimal together = LlmCost.cents(new TokenUsage(a + b, 0, a), GPT_4O);
        BigDecimal apart = LlmCost.cents(new TokenUsage(a, 0, a), GPT_4O).add(LlmCost.cents(new TokenUsage(b, 0, 0), GPT_4O));
        assertThat(together).isEqualByComparingTo(apart);
    }
}
