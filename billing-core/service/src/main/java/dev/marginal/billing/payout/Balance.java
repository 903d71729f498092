package dev.marginal.billing.payout;

import java.util.List;

/**
 * Stripe's {@code Balance}: per currency, what can be paid out now ({@code available}) and what
 * is still settling ({@code pending}). Their sum is the merchant's ledger balance, to the cent.
 */
public record Balance(String object, List<Funds> available, List<Funds> pending) {

    public record Funds(long amount, String currency) {
    }

    public static Balance of(List<Funds> available, List<Funds> pending) {
        return new Balance("balance", List.copyOf(available), List.copyOf(pending));
    }
}
