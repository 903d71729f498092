package dev.marginal.simulations.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.marginal.simulations.scenario.MeterDefinition;
import dev.marginal.simulations.usage.Aggregates;

/**
 * Each meter's period quantity per (customer, period) cell, as primitive arrays: the layout the
 * hot loop reads. Cell {@code c * periods + p}.
 */
final class UsageCube {

    final int customers;
    final int periods;
    final List<MeterDefinition> meters;
    /** [meter][cell] */
    final long[][] quantity;
    /**
     * Whether the customer is billed in the cell: from the first period they used anything to the
     * last. Without subscriptions (issue 5) this is the best evidence of being a customer then; a
     * quiet month inside that span still pays its base fee and minimum.
     */
    final boolean[] active;

    UsageCube(Aggregates aggregates, List<MeterDefinition> meters) {
        this.customers = aggregates.customers().size();
        this.periods = aggregates.periodStarts().size();
        this.meters = List.copyOf(meters);
        this.quantity = new long[meters.size()][customers * periods];
        Map<String, List<Integer>> metersByEvent = new HashMap<>();
        for (int m = 0; m < meters.size(); m++) {
            metersByEvent.computeIfAbsent(meters.get(m).event(), e -> new ArrayList<>()).add(m);
        }
        int[] first = new int[customers];
        int[] last = new int[customers];
        java.util.Arrays.fill(first, Integer.MAX_VALUE);
        java.util.Arrays.fill(last, -1);
        for (Aggregates.Usage usage : aggregates.usage()) {
            cell(usage.customer(), usage.period());
            first[usage.customer()] = Math.min(first[usage.customer()], usage.period());
            last[usage.customer()] = Math.max(last[usage.customer()], usage.period());
            List<Integer> ms = metersByEvent.get(usage.event());
            if (ms == null) {
                continue;   // an event no meter bills: it still shows in cost, not in revenue
            }
            int cell = cell(usage.customer(), usage.period());
            for (int m : ms) {
                quantity[m][cell] = Math.addExact(quantity[m][cell], amount(meters.get(m).quantity(), usage));
            }
        }
        this.active = new boolean[customers * periods];
        for (int c = 0; c < customers; c++) {
            for (int p = first[c]; p <= last[c]; p++) {
                active[c * periods + p] = true;
            }
        }
    }

    int cells() {
        return customers * periods;
    }

    int cell(int customer, int period) {
        if (customer < 0 || customer >= customers || period < 0 || period >= periods) {
            throw new IllegalArgumentException("usage for customer " + customer + ", period " + period
                    + " lies outside the aggregates' " + customers + " customers and " + periods + " periods");
        }
        return customer * periods + period;
    }

    private static long amount(MeterDefinition.Quantity quantity, Aggregates.Usage usage) {
        return switch (quantity) {
            case COUNT -> usage.events();
            case INPUT_TOKENS -> usage.inputTokens();
            case CACHED_INPUT_TOKENS -> usage.cachedInputTokens();
            case OUTPUT_TOKENS -> usage.outputTokens();
            case TOTAL_TOKENS -> Math.addExact(usage.inputTokens(), usage.outputTokens());
        };
    }
}
