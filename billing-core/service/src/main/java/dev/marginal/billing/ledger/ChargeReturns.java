package dev.marginal.billing.ledger;

import dev.marginal.pricing.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where the money of a charge sits once it is paid: its net with the merchant, its tax with the
 * authority ({@code Payments.collect}). Giving money back to the customer (a refund, a dispute)
 * takes each part from where it sits, and winning a dispute puts each part back, so tax never
 * passes through the merchant's balance in either direction.
 */
public final class ChargeReturns {

    private ChargeReturns() {
    }

    /** Rows that pay {@code net} from the merchant and {@code tax} from the authority back to the customer. */
    public static List<Movement.Entry> toCustomer(Movement.Type type, UUID organizationId, UUID customerId,
                                                  String taxJurisdiction, Money net, Money tax) {
        return between(type, organizationId, customerId, taxJurisdiction, net, tax, true);
    }

    /** The reverse of {@link #toCustomer}: the customer's money goes back to the merchant and the authority. */
    public static List<Movement.Entry> fromCustomer(Movement.Type type, UUID organizationId, UUID customerId,
                                                    String taxJurisdiction, Money net, Money tax) {
        return between(type, organizationId, customerId, taxJurisdiction, net, tax, false);
    }

    private static List<Movement.Entry> between(Movement.Type type, UUID organizationId, UUID customerId,
                                                String taxJurisdiction, Money net, Money tax, boolean toCustomer) {
        String customer = Accounts.customer(customerId);
        List<Movement.Entry> entries = new ArrayList<>();
        if (!net.isZero()) {
            String merchant = Accounts.merchant(organizationId);
            entries.addAll(toCustomer ? Movement.transfer(type, merchant, customer, net)
                    : Movement.transfer(type, customer, merchant, net));
        }
        if (!tax.isZero()) {
            if (taxJurisdiction == null) {
                throw new IllegalStateException("tax of " + tax + " without a jurisdiction to return it from");
            }
            String authority = Accounts.tax(taxJurisdiction);
            entries.addAll(toCustomer ? Movement.transfer(type, authority, customer, tax)
                    : Movement.transfer(type, customer, authority, tax));
        }
        return entries;
    }
}
