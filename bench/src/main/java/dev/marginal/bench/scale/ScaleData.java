package dev.marginal.bench.scale;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The scale data set, deterministic from its parameters: organisations of Zipf-skewed size, their
 * customers on monthly subscriptions, and LLM usage events over {@code days} UTC days ending
 * {@code lastDay}. Both loaders (Iceberg and PostgreSQL) walk the same instance, so the two stores
 * hold the same events, customers and orders.
 *
 * <p>Money never passes through a double: an event's cost is an exact count of nano-dollars
 * (10⁻⁹ USD; list prices per million tokens have at most three decimals), fees and prices are cents.
 * Doubles only draw random token counts and pick organisations.
 */
public final class ScaleData {

    /** A model at its list price in milli-dollars per million tokens (input, output). */
    record Model(String vendor, String model, long inputMilli, long outputMilli) {}

    record Feature(String name, Model[] models, int typicalInput, int typicalOutput, double share) {}

    static final Model GPT_4O = new Model("openai", "gpt-4o", 2_500, 10_000);
    static final Model GPT_4O_MINI = new Model("openai", "gpt-4o-mini", 150, 600);
    static final Model CLAUDE_SONNET = new Model("anthropic", "claude-sonnet-4-5", 3_000, 15_000);
    static final Model CLAUDE_HAIKU = new Model("anthropic", "claude-haiku-4-5", 1_000, 5_000);
    static final Model GEMINI_FLASH = new Model("google", "gemini-2.5-flash", 300, 2_500);
    static final Model MISTRAL_SMALL = new Model("mistral", "mistral-small-latest", 100, 300);
    static final List<Model> MODELS = List.of(GPT_4O, GPT_4O_MINI, CLAUDE_SONNET, CLAUDE_HAIKU, GEMINI_FLASH, MISTRAL_SMALL);

    static final Feature[] FEATURES = {
        new Feature("chat.completion", new Model[] {CLAUDE_SONNET, GPT_4O, GPT_4O_MINI}, 1_800, 450, 0.55),
        new Feature("document.summary", new Model[] {GEMINI_FLASH, CLAUDE_HAIKU}, 12_000, 600, 0.15),
        new Feature("code.review", new Model[] {CLAUDE_SONNET, GPT_4O}, 6_000, 1_200, 0.10),
        new Feature("support.triage", new Model[] {MISTRAL_SMALL, GPT_4O_MINI}, 700, 80, 0.20),
    };

    /** Monthly plan prices in cents. */
    static final long[] PLANS = {2_900, 4_900, 9_900, 19_900};

    /** The Flink job's checkpoint interval: usage deltas are summed per key within one. */
    static final long CHECKPOINT_MILLIS = 2_000;

    record Organisation(int index, UUID id, String slug, int customers, int firstCustomer) {}

    /** One subscription period's paid order (one fixed line), anchored at 00:00 UTC. */
    record Order(UUID id, UUID itemId, UUID feeId, Organisation org, int customer, long cents, long platformFeeCents,
                 LocalDate periodStart, LocalDate periodEnd) {}

    final long totalEvents;
    final int days;
    final LocalDate lastDay;
    final LocalDate firstDay;
    final List<Organisation> organisations;
    final int totalCustomers;
    private final double[] orgCumulative;
    private final long seed;

    public ScaleData(long totalEvents, int orgCount, int customerCount, int days, LocalDate lastDay, long seed) {
        this.totalEvents = totalEvents;
        this.days = days;
        this.lastDay = lastDay;
        this.firstDay = lastDay.minusDays(days - 1);
        this.seed = seed;
        // Zipf (s = 1): the biggest organisation sends ~1/H(n) of the traffic (13 % of 1,000 orgs),
        // the median one ~0.03 %. Customers follow the same weights, at least 3 each.
        double[] weights = new double[orgCount];
        double sum = 0;
        for (int i = 0; i < orgCount; i++) {
            weights[i] = 1.0 / (i + 1);
            sum += weights[i];
        }
        orgCumulative = new double[orgCount];
        List<Organisation> orgs = new ArrayList<>();
        double running = 0;
        int first = 0;
        for (int i = 0; i < orgCount; i++) {
            running += weights[i] / sum;
            orgCumulative[i] = running;
            int customers = (int) Math.max(3, Math.round(customerCount * weights[i] / sum));
            orgs.add(new Organisation(i, uuid("org", i, 0), "scale-%04d".formatted(i), customers, first));
            first += customers;
        }
        orgCumulative[orgCount - 1] = 1.0;
        this.organisations = List.copyOf(orgs);
        this.totalCustomers = first;
    }

    static UUID uuid(String kind, long a, long b) {
        return UUID.nameUUIDFromBytes((kind + ":" + a + ":" + b).getBytes(StandardCharsets.UTF_8));
    }

    static UUID customerId(Organisation org, int customer) {
        return uuid("customer", org.index(), customer);
    }

    static String externalCustomerId(Organisation org, int customer) {
        return "cus-%d-%d".formatted(org.index(), customer);
    }

    /** When billing-core created the customer: spread over the year before the window. */
    Instant customerCreatedAt(Organisation org, int customer) {
        long h = Math.floorMod(uuid("created", org.index(), customer).getLeastSignificantBits(), 365L * 86_400);
        return firstDay.minusDays(366).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(h);
    }

    long planCents(Organisation org, int customer) {
        return PLANS[(int) Math.floorMod(uuid("plan", org.index(), customer).getMostSignificantBits(), PLANS.length)];
    }

    /** Polar's platform fee: 4 % + 40 ¢, half-even to the cent (integer arithmetic). */
    static long platformFee(long cents) {
        long hundredths = cents * 4; // 4 % in hundredths of a cent
        long whole = hundredths / 100;
        long rest = hundredths % 100;
        if (rest > 50 || (rest == 50 && whole % 2 == 1)) {
            whole++;
        }
        return whole + 40;
    }

    /**
     * Every paid monthly order whose period touches the window: each customer subscribed before the
     * window, anchored on a day of its own, renewed each month up to the last day.
     */
    void forEachOrder(Consumer<Order> sink) {
        for (Organisation org : organisations) {
            for (int c = 0; c < org.customers(); c++) {
                long cents = planCents(org, c);
                int offset = (int) Math.floorMod(uuid("anchor", org.index(), c).getMostSignificantBits(), 28L);
                LocalDate start = firstDay.minusDays(1 + offset);
                for (int k = 0; !start.isAfter(lastDay); k++) {
                    LocalDate end = start.plusMonths(1);
                    sink.accept(new Order(uuid("order", org.index(), c * 100L + k), uuid("item", org.index(), c * 100L + k),
                            uuid("fee", org.index(), c * 100L + k), org, c, cents, platformFee(cents), start, end));
                    start = end;
                }
            }
        }
    }

    /** One usage event; the instance is reused between calls, copy what you keep. */
    static final class Event {
        long sequence;
        Organisation org;
        int customer;
        int feature;
        Model model;
        long timestampMicros;
        long ingestedMicros;
        long inputTokens;
        long outputTokens;
        /** Exact cost in 10⁻⁹ USD. */
        long costNanoDollars;
        long idMsb;
        long idLsb;

        UUID id() {
            return new UUID(idMsb, idLsb);
        }

        String featureName() {
            return FEATURES[feature].name();
        }

        String externalId() {
            return "e-" + sequence;
        }

        /** Cents (Polar's {@code _cost.amount} unit and billing-core's {@code cost_amount}), exact: 7 decimals. */
        String costCentsText() {
            return java.math.BigDecimal.valueOf(costNanoDollars, 7).toPlainString();
        }

        String metadataJson() {
            return "{\"_llm\":{\"vendor\":\"" + model.vendor() + "\",\"model\":\"" + model.model()
                    + "\",\"input_tokens\":" + inputTokens + ",\"output_tokens\":" + outputTokens
                    + ",\"total_tokens\":" + (inputTokens + outputTokens)
                    + "},\"_cost\":{\"amount\":" + costCentsText() + ",\"currency\":\"usd\"}}";
        }
    }

    long eventsOn(int dayIndex) {
        return totalEvents / days + (dayIndex < totalEvents % days ? 1 : 0);
    }

    long firstSequenceOn(int dayIndex) {
        long before = 0;
        for (int d = 0; d < dayIndex; d++) {
            before += eventsOn(d);
        }
        return before + 1;
    }

    LocalDate day(int dayIndex) {
        return firstDay.plusDays(dayIndex);
    }

    /** The day's events in timestamp order (ties in a stable order), the same on every call. */
    void forEachEvent(int dayIndex, Consumer<Event> sink) {
        int n = Math.toIntExact(eventsOn(dayIndex));
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + dayIndex);
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            // Daytime busier than night: two uniform draws, one shifted towards 14:00 UTC.
            long micros = random.nextLong(86_400_000_000L);
            if (random.nextInt(3) == 0) {
                micros = 36_000_000_000L + random.nextLong(28_800_000_000L);
            }
            offsets[i] = micros;
        }
        Arrays.sort(offsets);
        long dayStartMicros = day(dayIndex).toEpochDay() * 86_400_000_000L;
        long sequence = firstSequenceOn(dayIndex);
        Event e = new Event();
        for (int i = 0; i < n; i++) {
            e.sequence = sequence++;
            e.org = organisations.get(pickOrganisation(random.nextDouble()));
            // Within an organisation a few customers make most of the calls.
            double u = random.nextDouble();
            e.customer = (int) Math.min(e.org.customers() - 1, (long) (e.org.customers() * u * u * u));
            e.feature = pickFeature(random.nextDouble());
            Feature f = FEATURES[e.feature];
            e.model = f.models()[random.nextInt(f.models().length)];
            e.inputTokens = tokens(random, f.typicalInput());
            e.outputTokens = tokens(random, f.typicalOutput());
            e.costNanoDollars = e.inputTokens * e.model.inputMilli() + e.outputTokens * e.model.outputMilli();
            e.timestampMicros = dayStartMicros + offsets[i];
            e.ingestedMicros = e.timestampMicros + 20_000 + random.nextLong(400_000);
            long millis = e.timestampMicros / 1_000;
            e.idMsb = (millis << 16) | 0x7000L | random.nextLong(0x1000);
            e.idLsb = 0x8000_0000_0000_0000L | random.nextLong(0x4000_0000_0000_0000L);
            sink.accept(e);
        }
    }

    private static long tokens(SplittableRandom random, int typical) {
        // Log-normal around the typical size: most calls small, a long tail of large prompts.
        double g = gaussian(random);
        return Math.max(1, Math.round(typical * Math.exp(0.9 * g - 0.4)));
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private int pickOrganisation(double u) {
        int i = Arrays.binarySearch(orgCumulative, u);
        return Math.min(orgCumulative.length - 1, i >= 0 ? i : -i - 1);
    }

    private static int pickFeature(double u) {
        double running = 0;
        for (int i = 0; i < FEATURES.length; i++) {
            running += FEATURES[i].share();
            if (u < running) {
                return i;
            }
        }
        return FEATURES.length - 1;
    }
}
