package dev.marginal.pricing.llm;

import java.math.BigDecimal;

import dev.marginal.pricing.Money;

/**
 * What an LLM call cost, in US cents with 12 decimals — the {@code NUMERIC(38,12)} every cost is
 * stored in, and the unit of Polar's {@code _cost.amount}.
 *
 * <pre>
 * cents = (uncached_input × input_rate + cached_input × cached_rate + output × output_rate) × 100 / 1,000,000
 * </pre>
 * with rates in USD per million tokens. Rates have at most 6 decimals, so the product has at most
 * 10 and the result is exact; the rounding to 12 decimals ({@link Money#ROUNDING}) only guards
 * rates entered with more precision.
 */
public final class LlmCost {

    public static final int SCALE = 12;
    private static final BigDecimal CENTS_PER_DOLLAR_PER_MILLION = new BigDecimal("0.0001");

    private LlmCost() {
    }

    public static BigDecimal cents(TokenUsage usage, ModelPrice price) {
        BigDecimal dollarsTimesMillion = BigDecimal.valueOf(usage.uncachedInputTokens()).multiply(price.inputUsdPerMillion())
                .add(BigDecimal.valueOf(Math.min(usage.cachedInputTokens(), usage.inputTokens())).multiply(price.cachedRate()))
                .add(BigDecimal.valueOf(usage.outputTokens()).multiply(price.outputUsdPerMillion()));
        return dollarsTimesMillion.multiply(CENTS_PER_DOLLAR_PER_MILLION).setScale(SCALE, Money.ROUNDING);
    }

}
