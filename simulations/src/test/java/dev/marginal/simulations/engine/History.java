package dev.marginal.simulations.engine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import dev.marginal.simulations.usage.Aggregates;

/** A usage history written by hand: customers by external id, months from January 2026. */
final class History {

    private final List<Aggregates.Customer> customers = new ArrayList<>();
    private final List<LocalDate> periods = new ArrayList<>();
    private final List<Aggregates.Usage> usage = new ArrayList<>();
    private final List<Aggregates.Cost> costs = new ArrayList<>();

    History(int months, String... customers) {
        for (int i = 0; i < months; i++) {
            periods.add(LocalDate.of(2026, 1, 1).plusMonths(i));
        }
        for (String customer : customers) {
            this.customers.add(new Aggregates.Customer(null, customer));
        }
    }

    History events(String customer, int period, String event, long count) {
        usage.add(new Aggregates.Usage(index(customer), period, event, count, 0, 0, 0));
        return this;
    }

    History tokens(String customer, int period, String event, long count, long input, long cached, long output) {
        usage.add(new Aggregates.Usage(index(customer), period, event, count, input, cached, output));
        return this;
    }

    History cost(String customer, int period, String vendor, String model, long input, long cached, long output,
                 String dollars) {
        costs.add(new Aggregates.Cost(index(customer), period, vendor, model, input, cached, output,
                new BigDecimal(dollars), "usd"));
        return this;
    }

    Aggregates build() {
        return new Aggregates("org_test", customers, periods, usage, costs);
    }

    private int index(String customer) {
        for (int i = 0; i < customers.size(); i++) {
            if (customers.get(i).externalCustomerId().equals(customer)) {
                return i;
            }
        }
        throw new IllegalArgumentException(customer);
    }
}
