package dev.marginal.simulations.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.List;

import dev.marginal.pricing.Money;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.usage.Aggregates;

/** Every variant of a scenario evaluated on one history; {@link #baseline()} holds the actual bills. */
public final class SimulationResult {

    private final Scenario scenario;
    private final Aggregates aggregates;
    private final List<VariantResult> variants;

    SimulationResult(Scenario scenario, Aggregates aggregates, List<VariantResult> variants) {
        this.scenario = scenario;
        this.aggregates = aggregates;
        this.variants = List.copyOf(variants);
    }

    public Scenario scenario() {
        return scenario;
    }

    public Aggregates aggregates() {
        return aggregates;
    }

    /** Baseline first, then the scenario's variants in file order. */
    public List<VariantResult> variants() {
        return variants;
    }

    public VariantResult baseline() {
        return variants.get(0);
    }

    public VariantResult variant(String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant " + name));
    }

    public Money actualBill(int customer, int period) {
        return baseline().bill(customer, period);
    }

    public BigDecimal actualCost(int customer, int period) {
        return baseline().cost(customer, period);
    }

    /** (simulated − actual) / actual in percent, 2 decimals; null when the actual bill is zero. */
    public BigDecimal deltaPct(VariantResult variant, int customer, int period) {
        return percentChange(actualBill(customer, period).minorUnits(), variant.bill(customer, period).minorUnits());
    }

    static BigDecimal percentChange(long from, long to) {
        if (from == 0) {
            return null;
        }
        return BigDecimal.valueOf(to - from).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(from), 2, RoundingMode.HALF_EVEN);
    }

    /** How cells are laid out and what their units are; shared by a result's variants. */
    record Layout(int customers, int periods, Currency currency) {

        int cell(int customer, int period) {
            if (customer < 0 || customer >= customers || period < 0 || period >= periods) {
                throw new IndexOutOfBoundsException("customer " + customer + ", period " + period);
            }
            return customer * periods + period;
        }

        BigDecimal major(long micros) {
            return BigDecimal.valueOf(micros, currency.getDefaultFractionDigits() + CostModel.MICROS);
        }
    }
}
