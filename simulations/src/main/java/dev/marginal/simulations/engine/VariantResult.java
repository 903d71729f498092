package dev.marginal.simulations.engine;

import java.math.BigDecimal;

import dev.marginal.pricing.Money;

/**
 * One variant's bills and costs per (customer, period) cell, and its summary. Index 0 of a
 * {@link SimulationResult} is the baseline: its bills are the actual bills.
 */
public final class VariantResult {

    private final String name;
    private final SimulationResult.Layout layout;
    private final long[] bill;
    private final long[] costMicros;
    private final Summary summary;

    VariantResult(String name, SimulationResult.Layout layout, long[] bill, long[] costMicros, Summary summary) {
        this.name = name;
        this.layout = layout;
        this.bill = bill;
        this.costMicros = costMicros;
        this.summary = summary;
    }

    public String name() {
        return name;
    }

    public Summary summary() {
        return summary;
    }

    public Money bill(int customer, int period) {
        return new Money(bill[layout.cell(customer, period)], layout.currency());
    }

    /** What serving the customer cost in the period, major units, exact to a millionth of a minor unit. */
    public BigDecimal cost(int customer, int period) {
        return layout.major(costMicros[layout.cell(customer, period)]);
    }

    /** Bill minus cost, major units. */
    public BigDecimal margin(int customer, int period) {
        return bill(customer, period).toMajor().add(cost(customer, period).negate());
    }

    long billMinor(int cell) {
        return bill[cell];
    }

    long costMicros(int cell) {
        return costMicros[cell];
    }
}
