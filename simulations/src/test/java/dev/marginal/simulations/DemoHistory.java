package dev.marginal.simulations;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.marginal.simulations.usage.Aggregates;
import dev.marginal.stack.demo.LlmUsage;

/**
 * The demo's usage history without the stack: {@code bin/marginal demo}'s own generator
 * ({@link LlmUsage}) makes the events, spread evenly over whole months, and they are summed the way
 * {@code TrinoUsageLoader}'s queries sum {@code analytics.usage_costs} (per customer, month and event
 * name; per customer, month and model with the recorded cost in dollars).
 */
final class DemoHistory {

    private static final Pattern FIELD = Pattern.compile("\"(name|external_customer_id|timestamp|vendor|model)\":\"([^\"]*)\"");
    private static final Pattern NUMBER = Pattern.compile("\"(input_tokens|output_tokens|cached_input_tokens|amount)\":([0-9.]+)");

    private DemoHistory() {
    }

    static Aggregates of(long seed, int events, LocalDate firstMonth, int months) {
        LlmUsage usage = new LlmUsage(seed, "demo-test");
        Instant start = firstMonth.atStartOfDay().toInstant(ZoneOffset.UTC);
        Duration span = Duration.between(start, firstMonth.plusMonths(months).atStartOfDay().toInstant(ZoneOffset.UTC));
        List<LocalDate> periods = new ArrayList<>();
        for (int m = 0; m < months; m++) {
            periods.add(firstMonth.plusMonths(m));
        }
        Map<String, Integer> customers = new LinkedHashMap<>();
        Map<List<Object>, long[]> usageRows = new LinkedHashMap<>();
        Map<List<Object>, long[]> costTokens = new LinkedHashMap<>();
        Map<List<Object>, BigDecimal> costs = new LinkedHashMap<>();
        for (int i = 0; i < events; i++) {
            Instant at = start.plus(span.multipliedBy(i).dividedBy(events));
            String json = usage.nextEventJson(at);
            Map<String, String> f = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(json);
            while (m.find()) {
                f.putIfAbsent(m.group(1), m.group(2));
            }
            Matcher n = NUMBER.matcher(json);
            while (n.find()) {
                f.putIfAbsent(n.group(1), n.group(2));
            }
            int customer = customers.computeIfAbsent(f.get("external_customer_id"), k -> customers.size());
            LocalDate day = LocalDate.ofInstant(Instant.parse(f.get("timestamp")), ZoneOffset.UTC);
            int period = periods.indexOf(day.withDayOfMonth(1));
            long input = Long.parseLong(f.get("input_tokens"));
            long cached = Long.parseLong(f.getOrDefault("cached_input_tokens", "0"));
            long output = Long.parseLong(f.get("output_tokens"));
            long[] u = usageRows.computeIfAbsent(List.of(customer, period, f.get("name")), k -> new long[4]);
            u[0]++;
            u[1] += input;
            u[2] += cached;
            u[3] += output;
            List<Object> model = List.of(customer, period, f.get("vendor"), f.get("model"));
            long[] t = costTokens.computeIfAbsent(model, k -> new long[3]);
            t[0] += input;
            t[1] += cached;
            t[2] += output;
            // _cost.amount is in cents; the warehouse keeps dollars
            costs.merge(model, new BigDecimal(f.get("amount")).movePointLeft(2), BigDecimal::add);
        }
        List<Aggregates.Usage> usageList = new ArrayList<>();
        usageRows.forEach((k, u) -> usageList.add(new Aggregates.Usage((int) k.get(0), (int) k.get(1), (String) k.get(2),
                u[0], u[1], u[2], u[3])));
        List<Aggregates.Cost> costList = new ArrayList<>();
        costTokens.forEach((k, t) -> costList.add(new Aggregates.Cost((int) k.get(0), (int) k.get(1), (String) k.get(2),
                (String) k.get(3), t[0], t[1], t[2], costs.get(k), "usd")));
        List<Aggregates.Customer> customerList = new ArrayList<>();
        customers.keySet().forEach(c -> customerList.add(new Aggregates.Customer(null, c)));
        return new Aggregates("demo", customerList, periods, usageList, costList);
    }
}
