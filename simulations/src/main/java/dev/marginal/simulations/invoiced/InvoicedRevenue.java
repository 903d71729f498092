package dev.marginal.simulations.invoiced;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

/**
 * What billing actually invoiced an organisation's customers, per customer and calendar month of
 * service (UTC), in minor units before tax: the figure the null scenario must reproduce to the cent.
 * A port: today {@link BillingInvoicedRevenue} reads billing-core's PostgreSQL; an implementation
 * over the warehouse's Iceberg mirror of orders can replace it without the check changing.
 */
public interface InvoicedRevenue {

    /** Lines whose service period starts in [from, to); {@code from} is moved to the 1st of its month. */
    List<Invoiced> load(String organizationId, LocalDate from, LocalDate to) throws SQLException;

    /**
     * @param customerId billing's customer id
     * @param externalCustomerId the merchant's id for the customer, or null
     * @param amount minor units, order lines before tax
     */
    record Invoiced(String customerId, String externalCustomerId, LocalDate periodStart, String currency,
                    long amount) {
    }
}
