package dev.marginal.simulations.usage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The history a simulation replays, already summed per period: what each customer used of each
 * event (count and tokens) and what serving each model cost them. This is all the engine reads;
 * where it came from (Trino, a test, a benchmark generator) is the caller's business.
 *
 * <p>Customers and periods are referred to by index into {@link #customers()} and
 * {@link #periodStarts()} (calendar months, UTC), so the engine can lay them out in arrays.
 */
public record Aggregates(String organizationId, List<Customer> customers, List<LocalDate> periodStarts,
                         List<Usage> usage, List<Cost> costs) {

    public Aggregates {
        Objects.requireNonNull(organizationId, "organizationId");
        customers = List.copyOf(customers);
        periodStarts = List.copyOf(periodStarts);
        usage = List.copyOf(usage);
        costs = List.copyOf(costs);
    }

    /** Either id may be null (Polar's ingest takes one or the other), not both. */
    public record Customer(String customerId, String externalCustomerId) {

        public Customer {
            if (customerId == null && externalCustomerId == null) {
                throw new IllegalArgumentException("a customer needs a customer_id or an external_customer_id");
            }
        }

        /** How tables and reports name the customer: the merchant's own id first. */
        public String label() {
            return externalCustomerId != null ? externalCustomerId : customerId;
        }
    }

    /** One customer's usage of one event name in one period. */
    public record Usage(int customer, int period, String event, long events, long inputTokens,
                        long cachedInputTokens, long outputTokens) {
    }

    /**
     * What serving one customer's calls to one model cost in one period: the recorded cost in
     * major units (DECIMAL(38,12) in the warehouse) and the tokens, so a variant can re-cost them.
     */
    public record Cost(int customer, int period, String vendor, String model, long inputTokens,
                       long cachedInputTokens, long outputTokens, BigDecimal cost, String currency) {
    }
}
