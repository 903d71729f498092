package dev.marginal.stack.demo;

import dev.marginal.pricing.llm.LlmCost;
import dev.marginal.pricing.llm.ModelPrice;
import dev.marginal.pricing.llm.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic LLM usage events in Polar's ingest shape, for the demo and the benchmarks.
 *
 * <p>A few customers with different habits call a few features backed by real models; token counts
 * are skewed like real traffic (most calls small, a long tail of large prompts). The cost in
 * {@code _cost} is what the pricing engine ({@link LlmCost}) makes of each model's public list price
 * per million tokens, so the demo's margins look like a real AI product's.
 */
public final class LlmUsage {

    /** A model the demo calls, at its list price: USD per million input tokens, cached input, output. */
    record Model(String vendor, String model, ModelPrice price) {
        Model(String vendor, String model, String input, String cachedInput, String output) {
            this(vendor, model, new ModelPrice(vendor + "/" + model, vendor, model, new BigDecimal(input),
                    new BigDecimal(cachedInput), new BigDecimal(output), Instant.EPOCH, null, false));
        }
    }

    record Feature(String eventName, List<Model> models, int typicalInputTokens, int typicalOutputTokens) {}

    // List prices per million tokens (USD) as published on the vendors' pricing pages.
    private static final Model GPT_4O = new Model("openai", "gpt-4o", "2.50", "1.25", "10.00");
    private static final Model GPT_4O_MINI = new Model("openai", "gpt-4o-mini", "0.15", "0.075", "0.60");
    private static final Model CLAUDE_SONNET = new Model("anthropic", "claude-sonnet-4-5", "3.00", "0.30", "15.00");
    private static final Model CLAUDE_HAIKU = new Model("anthropic", "claude-haiku-4-5", "1.00", "0.10", "5.00");
    private static final Model GEMINI_FLASH = new Model("google", "gemini-2.5-flash", "0.30", "0.075", "2.50");
    private static final Model MISTRAL_SMALL = new Model("mistral", "mistral-small-latest", "0.10", "0.10", "0.30");

    static final List<Feature> FEATURES = List.of(
            new Feature("chat.completion", List.of(CLAUDE_SONNET, GPT_4O, GPT_4O_MINI), 1_800, 450),
            new Feature("document.summary", List.of(GEMINI_FLASH, CLAUDE_HAIKU), 12_000, 600),
            new Feature("code.review", List.of(CLAUDE_SONNET, GPT_4O), 6_000, 1_200),
            new Feature("support.triage", List.of(MISTRAL_SMALL, GPT_4O_MINI), 700, 80));

    /** The customers the demo merchant bills (DemoCatalog subscribes them), biggest first. */
    static final List<String> CUSTOMERS = DemoCatalog.ACCOUNTS.stream().map(DemoCatalog.Account::externalId).toList();

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private final SplittableRandom random;
    private final String runId;
    private long sequence;

    public LlmUsage(long seed, String runId) {
        this.random = new SplittableRandom(seed);
        this.runId = runId;
    }

    /** The external id of the {@code n}-th event this generator made (1-based), so callers can find it later. */
    public String externalId(long n) {
        return runId + "-" + n;
    }

    public long generated() {
        return sequence;
    }

    /** One event as a JSON object in Polar's ingest shape, timestamped {@code at}. */
    public String nextEventJson(Instant at) {
        sequence++;
        // Customers differ in size: the first ones send most of the traffic.
        String customer = CUSTOMERS.get((int) Math.min(CUSTOMERS.size() - 1, Math.floor(-Math.log(1 - random.nextDouble()) * 1.6)));
        Feature feature = FEATURES.get(random.nextInt(FEATURES.size()));
        Model model = feature.models().get(random.nextInt(feature.models().size()));
        long input = skewed(feature.typicalInputTokens());
        long output = skewed(feature.typicalOutputTokens());
        long cached = random.nextInt(4) == 0 ? input / 2 : 0;
        BigDecimal costCents = LlmCost.cents(new TokenUsage(input, cached, output), model.price()).stripTrailingZeros();
        return "{\"name\":\"" + feature.eventName() + "\""
                + ",\"external_customer_id\":\"" + customer + "\""
                + ",\"external_id\":\"" + externalId(sequence) + "\""
                + ",\"timestamp\":\"" + ISO.format(at) + "\""
                + ",\"metadata\":{\"_llm\":{\"vendor\":\"" + model.vendor() + "\",\"model\":\"" + model.model() + "\""
                + ",\"input_tokens\":" + input + ",\"output_tokens\":" + output
                + ",\"total_tokens\":" + (input + output)
                + (cached > 0 ? ",\"cached_input_tokens\":" + cached : "") + "}"
                + ",\"_cost\":{\"amount\":" + costCents.toPlainString() + ",\"currency\":\"usd\"}"
                + ",\"feature\":\"" + feature.eventName() + "\"}}";
    }

    /** A body for {@code POST /v1/events/ingest} with {@code count} events. */
    public String nextBatchJson(int count, Instant at) {
        StringBuilder body = new StringBuilder(count * 400).append("{\"events\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(nextEventJson(at));
        }
        return body.append("]}").toString();
    }

    /** Log-normal-ish around the typical size: most calls near it, a tail ten times larger. */
    private long skewed(int typical) {
        double factor = Math.exp(random.nextGaussian() * 0.8);
        return Math.max(1, Math.round(typical * factor));
    }
}
