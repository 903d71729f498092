package dev.marginal.pricing.invoice;

import java.util.ArrayList;
import java.util.List;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * Splits an order's lines so that what is billed now never sums below zero: a downgrade's credit
 * larger than the charges beside it is not paid out, it waits for the next invoice (Stripe carries
 * it in the customer's balance; the effect on the next invoice is the same).
 *
 * <p>Credits are trimmed from the last one backwards, each split into the part billed now and the
 * part carried, both keeping the line's description and period, so every cent of a credit lands on
 * exactly one order: {@code billed + carried} is the input, line for line.
 */
public final class CreditCarry {

    private CreditCarry() {
    }

    /** A line and the index of the input line it came from, so the caller keeps what it knows of each. */
    public record Piece(int source, InvoiceLine line) {
    }

    /**
     * @param billed  the lines of the order now, in input order; their sum is zero or more
     * @param carried negative proration lines for the next order; empty when the lines sum to zero or more
     */
    public record Split(List<Piece> billed, List<Piece> carried) {

        public Split {
            billed = List.copyOf(billed);
            carried = List.copyOf(carried);
        }

        public List<InvoiceLine> billedLines() {
            return billed.stream().map(Piece::line).toList();
        }

        public List<InvoiceLine> carriedLines() {
            return carried.stream().map(Piece::line).toList();
        }
    }

    public static Split apply(List<InvoiceLine> lines) {
        Require.present(lines, "lines");
        if (lines.isEmpty()) {
            return new Split(List.of(), List.of());
        }
        Money sum = Money.zero(lines.get(0).amount().currency());
        for (InvoiceLine line : lines) {
            sum = sum.plus(line.amount());
        }
        List<Piece> billed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            billed.add(new Piece(i, lines.get(i)));
        }
        if (!sum.isNegative()) {
            return new Split(billed, List.of());
        }
        long excess = -sum.minorUnits();
        List<Piece> carried = new ArrayList<>();
        for (int i = billed.size() - 1; i >= 0 && excess > 0; i--) {
            InvoiceLine line = billed.get(i).line();
            if (!line.amount().isNegative()) {
                continue;
            }
            long moved = Math.min(excess, -line.amount().minorUnits());
            excess -= moved;
            Money kept = line.amount().plus(new Money(moved, line.amount().currency()));
            int source = billed.get(i).source();
            carried.add(0, new Piece(source, with(line, new Money(-moved, line.amount().currency()))));
            if (kept.isZero()) {
                billed.remove(i);
            } else {
                billed.set(i, new Piece(source, with(line, kept)));
            }
        }
        if (excess != 0) {
            throw new PricingInputException("lines", "a negative sum must come from proration credits");
        }
        return new Split(billed, carried);
    }

    private static InvoiceLine with(InvoiceLine line, Money amount) {
        return new InvoiceLine(line.description(), line.kind(), line.period(), line.quantity(), line.unit(), amount);
    }
}
