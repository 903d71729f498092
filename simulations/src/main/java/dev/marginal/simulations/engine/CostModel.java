package dev.marginal.simulations.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.llm.LlmCost;
import dev.marginal.pricing.llm.ModelPrice;
import dev.marginal.pricing.llm.TokenUsage;
import dev.marginal.simulations.scenario.CostChange;
import dev.marginal.simulations.usage.Aggregates;

/**
 * What serving each (customer, period) cell cost, as recorded and under a variant's cost changes.
 *
 * <p>Rows keep their exact recorded cost (DECIMAL(38,12), major units); a cell's cost is the exact
 * sum of its rows rounded once, half-even, to a millionth of a minor unit ({@link #MICROS}), the
 * unit the hot loops add up in {@code long}s. Re-costing tokens goes through the engine's
 * {@link LlmCost}; only rows a change matches are touched.
 */
final class CostModel {

    /** Cell costs are kept in millionths of a minor unit. */
    static final int MICROS = 6;

    private final Currency currency;
    private final int minorDigits;
    private final int cells;
    private final int[] rowCell;
    private final String[] rowVendor;
    private final String[] rowModel;
    private final TokenUsage[] rowTokens;
    private final BigDecimal[] rowCost;
    private final BigDecimal[] cellExact;
    final long[] baseline;

    CostModel(Aggregates aggregates, UsageCube usage, Currency currency) {
        this.currency = currency;
        this.minorDigits = currency.getDefaultFractionDigits();
        this.cells = usage.cells();
        List<Aggregates.Cost> costs = aggregates.costs();
        int n = costs.size();
        rowCell = new int[n];
        rowVendor = new String[n];
        rowModel = new String[n];
        rowTokens = new TokenUsage[n];
        rowCost = new BigDecimal[n];
        cellExact = new BigDecimal[cells];
        for (int i = 0; i < n; i++) {
            Aggregates.Cost cost = costs.get(i);
            if (!cost.currency().toUpperCase(Locale.ROOT).equals(currency.getCurrencyCode())) {
                throw new IllegalArgumentException("a cost of " + cost.vendor() + "/" + cost.model() + " is in "
                        + cost.currency() + " but the scenario is in " + currency.getCurrencyCode()
                        + "; the simulation does not convert currencies");
            }
            rowCell[i] = usage.cell(cost.customer(), cost.period());
            rowVendor[i] = ModelPrice.key(cost.vendor());
            rowModel[i] = ModelPrice.key(cost.model());
            rowTokens[i] = new TokenUsage(cost.inputTokens(), cost.cachedInputTokens(), cost.outputTokens());
            rowCost[i] = cost.cost();
            cellExact[rowCell[i]] = cellExact[rowCell[i]] == null ? cost.cost() : cellExact[rowCell[i]].add(cost.cost());
        }
        baseline = new long[cells];
        for (int cell = 0; cell < cells; cell++) {
            baseline[cell] = cellExact[cell] == null ? 0 : micros(cellExact[cell]);
        }
    }

    /** The cells' costs under {@code changes}; the baseline array itself when there are none. */
    long[] costs(List<CostChange> changes) {
        if (changes.isEmpty()) {
            return baseline;
        }
        BigDecimal[] delta = new BigDecimal[cells];
        for (int row = 0; row < rowCell.length; row++) {
            if (!touched(changes, rowVendor[row], rowModel[row])) {
                continue;
            }
            BigDecimal d = recost(changes, row).subtract(rowCost[row]);
            int cell = rowCell[row];
            delta[cell] = delta[cell] == null ? d : delta[cell].add(d);
        }
        long[] out = baseline.clone();
        for (int cell = 0; cell < cells; cell++) {
            if (delta[cell] != null) {
                out[cell] = micros(cellExact[cell] == null ? delta[cell] : cellExact[cell].add(delta[cell]));
            }
        }
        return out;
    }

    /** {@code micros} scaled by a growth factor, rounded once more, for Monte Carlo levels. */
    static long grow(long micros, BigDecimal factor) {
        return BigDecimal.valueOf(micros).multiply(factor).setScale(0, Money.ROUNDING).longValueExact();
    }

    BigDecimal toMajor(long micros) {
        return BigDecimal.valueOf(micros, minorDigits + MICROS);
    }

    private long micros(BigDecimal major) {
        return major.movePointRight(minorDigits + MICROS).setScale(0, Money.ROUNDING).longValueExact();
    }

    private static boolean touched(List<CostChange> changes, String vendor, String model) {
        for (CostChange change : changes) {
            if (matches(change, vendor, model)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(CostChange change, String vendor, String model) {
        if (change instanceof CostChange.VendorPrice v) {
            return v.vendor().equals(vendor) && v.model().equals(model);
        }
        if (change instanceof CostChange.Substitution s) {
            return s.fromVendor().equals(vendor) && s.fromModel().equals(model);
        }
        CostChange.Discount d = (CostChange.Discount) change;
        return d.vendor().equals(vendor) && (d.model() == null || d.model().equals(model));
    }

    /** A row's traffic, split by the changes into portions on (possibly other) models, each with its exact cost. */
    private record Portion(String vendor, String model, BigDecimal weight, BigDecimal cost) {
    }

    BigDecimal recost(List<CostChange> changes, int row) {
        List<Portion> portions = List.of(new Portion(rowVendor[row], rowModel[row], BigDecimal.ONE, rowCost[row]));
        for (CostChange change : changes) {
            List<Portion> next = new ArrayList<>();
            for (Portion portion : portions) {
                if (!matches(change, portion.vendor(), portion.model())) {
                    next.add(portion);
                    continue;
                }
                if (change instanceof CostChange.VendorPrice v) {
                    next.add(new Portion(portion.vendor(), portion.model(), portion.weight(),
                            tokenCost(row, v.price(), portion.weight())));
                } else if (change instanceof CostChange.Substitution s) {
                    BigDecimal stay = BigDecimal.ONE.subtract(s.share());
                    if (stay.signum() > 0) {
                        next.add(new Portion(portion.vendor(), portion.model(), portion.weight().multiply(stay),
                                portion.cost().multiply(stay)));
                    }
                    BigDecimal moved = portion.weight().multiply(s.share());
                    if (moved.signum() > 0) {
                        next.add(new Portion(s.toVendor(), s.toModel(), moved, tokenCost(row, s.toPrice(), moved)));
                    }
                } else {
                    CostChange.Discount d = (CostChange.Discount) change;
                    next.add(new Portion(portion.vendor(), portion.model(), portion.weight(),
                            portion.cost().multiply(BigDecimal.ONE.subtract(d.percent().movePointLeft(2)))));
                }
            }
            portions = next;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Portion portion : portions) {
            total = total.add(portion.cost());
        }
        return total;
    }

    /** {@code weight} of the row's tokens at {@code price}: LlmCost gives US cents, the warehouse keeps dollars. */
    private BigDecimal tokenCost(int row, ModelPrice price, BigDecimal weight) {
        return LlmCost.cents(rowTokens[row], price).multiply(weight).movePointLeft(2);
    }

    Currency currency() {
        return currency;
    }

    int cells() {
        return cells;
    }

}
