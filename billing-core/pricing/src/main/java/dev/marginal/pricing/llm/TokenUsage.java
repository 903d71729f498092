package dev.marginal.pricing.llm;

/**
 * The tokens of one LLM call, as Polar's {@code _llm} metadata reports them.
 *
 * <p>{@code cachedInputTokens} are a part of {@code inputTokens} (OpenAI's {@code prompt_tokens}
 * include {@code cached_tokens}; the Vercel AI SDK and Polar's LLM ingestion strategy report them
 * the same way), so {@link #uncachedInputTokens()} are the rest. A client that reports more cached
 * than input tokens has all of its input priced as cached, never a negative count.
 */
public record TokenUsage(long inputTokens, long cachedInputTokens, long outputTokens) {

    public TokenUsage {
        if (inputTokens < 0 || cachedInputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts are never negative: " + inputTokens + ", "
                    + cachedInputTokens + ", " + outputTokens);
        }
    }

    public long uncachedInputTokens() {
        return Math.max(0, inputTokens - cachedInputTokens);
    }
}
