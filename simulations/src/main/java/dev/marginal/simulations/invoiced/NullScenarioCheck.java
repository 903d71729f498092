package dev.marginal.simulations.invoiced;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.usage.Aggregates;

/**
 * The null scenario's promise: the baseline priced over history equals what billing invoiced,
 * per customer and month, to the cent. Compares a result's actual (baseline) bills with
 * {@link InvoicedRevenue} and lists every cell where they differ; an empty list is the proof.
 *
 * <p>A customer is matched by the merchant's external id when both sides have one, otherwise by
 * billing's customer id, as usage events name customers either way.
 */
public final class NullScenarioCheck {

    private NullScenarioCheck() {
    }

    /** One (customer, month) where the baseline and the invoices disagree; minor units. */
    public record Difference(String customer, LocalDate periodStart, long invoiced, long simulated) {

        @Override
        public String toString() {
            return customer + " " + periodStart + ": invoiced " + invoiced + ", simulated " + simulated
                    + " (minor units)";
        }
    }

    public static List<Difference> compare(SimulationResult result, List<InvoicedRevenue.Invoiced> invoiced) {
        Aggregates aggregates = result.aggregates();
        String currency = result.scenario().currency().getCurrencyCode().toLowerCase(Locale.ROOT);
        Map<String, Integer> customerByKey = new HashMap<>();
        for (int c = 0; c < aggregates.customers().size(); c++) {
            Aggregates.Customer customer = aggregates.customers().get(c);
            if (customer.externalCustomerId() != null) {
                customerByKey.put("x:" + customer.externalCustomerId(), c);
            }
            if (customer.customerId() != null) {
                customerByKey.put("i:" + customer.customerId(), c);
            }
        }
        Map<LocalDate, Integer> periodByStart = new HashMap<>();
        for (int p = 0; p < aggregates.periodStarts().size(); p++) {
            periodByStart.put(aggregates.periodStarts().get(p), p);
        }
        long[][] billed = new long[aggregates.customers().size()][aggregates.periodStarts().size()];
        List<Difference> differences = new ArrayList<>();
        for (InvoicedRevenue.Invoiced line : invoiced) {
            if (!line.currency().equalsIgnoreCase(currency)) {
                throw new IllegalArgumentException("billing invoiced " + line.externalCustomerId() + " in "
                        + line.currency() + " but the scenario is in " + currency);
            }
            Integer period = periodByStart.get(line.periodStart());
            Integer customer = line.externalCustomerId() == null ? null : customerByKey.get("x:" + line.externalCustomerId());
            if (customer == null) {
                customer = customerByKey.get("i:" + line.customerId());
            }
            if (period == null) {
                continue;   // outside the simulated range
            }
            if (customer == null) {
                // Invoiced but no usage in the warehouse: the simulation cannot have billed them.
                differences.add(new Difference(label(line), line.periodStart(), line.amount(), 0));
                continue;
            }
            billed[customer][period] = Math.addExact(billed[customer][period], line.amount());
        }
        for (int c = 0; c < billed.length; c++) {
            for (int p = 0; p < billed[c].length; p++) {
                long simulated = result.actualBill(c, p).minorUnits();
                if (simulated != billed[c][p]) {
                    differences.add(new Difference(aggregates.customers().get(c).label(),
                            aggregates.periodStarts().get(p), billed[c][p], simulated));
                }
            }
        }
        return differences;
    }

    private static String label(InvoicedRevenue.Invoiced line) {
        return line.externalCustomerId() != null ? line.externalCustomerId() : line.customerId();
    }
}
