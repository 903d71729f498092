package dev.marginal.pricing.tier;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * An ordered, gap-free list of {@link Tier}s: the first starts at 0, each next one starts where the
 * previous ends, only the last is unbounded. A list that breaks this cannot be constructed, and the
 * error names the tier (0-based, as in {@code tiers[1].up_to}).
 *
 * <p>The same tiers price two ways (Stripe's {@code tiers_mode}): {@link #graduatedAmount graduated},
 * where each portion of the quantity pays its own tier's rate, and {@link #volumeAmount volume},
 * where the whole quantity pays the rate of the tier it ends in. Amounts are exact minor units;
 * rounding to {@code Money} happens once per line, in the price.
 */
public record Tiers(List<Tier> tiers) {

    public Tiers {
        Require.present(tiers, "tiers");
        tiers = List.copyOf(tiers);
        validate(tiers);
    }

    /** Builds tiers from {@code up_to} bounds only, as Stripe and Polar send them; each starts where the last ended. */
    public static Builder builder() {
        return new Builder();
    }

    /** Exact minor units: each tier's portion at its own rate, plus the flat fee of every tier reached. */
    public BigDecimal graduatedAmount(BigDecimal quantity) {
        Require.quantity(quantity);
        BigDecimal total = BigDecimal.ZERO;
        for (TierCharge charge : graduatedBreakdown(quantity)) {
            total = total.add(charge.amount());
        }
        return total;
    }

    /** What each reached tier contributes to a graduated total — the lines of an itemised invoice. */
    public List<TierCharge> graduatedBreakdown(BigDecimal quantity) {
        Require.quantity(quantity);
        List<TierCharge> charges = new ArrayList<>();
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            if (!tier.isReachedBy(quantity)) {
                break;
            }
            BigDecimal units = tier.portionOf(quantity);
            charges.add(new TierCharge(i, units, tier.charge(units)));
        }
        return charges;
    }

    /**
     * Exact minor units: the whole quantity at the unit rate of the tier it falls in, plus that
     * tier's flat fee. A quantity of zero falls in no tier and costs nothing.
     */
    public BigDecimal volumeAmount(BigDecimal quantity) {
        Require.quantity(quantity);
        if (quantity.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return tierFor(quantity).charge(quantity);
    }

    /** The tier a positive quantity falls in: the one whose {@code (from, upTo]} holds it. */
    public Tier tierFor(BigDecimal quantity) {
        Require.positive(quantity, "quantity");
        for (Tier tier : tiers) {
            if (tier.contains(quantity)) {
                return tier;
            }
        }
        throw new IllegalStateException("validated tiers cover every positive quantity");
    }

    private static void validate(List<Tier> tiers) {
        if (tiers.isEmpty()) {
            throw new PricingInputException("tiers", "must hold at least one tier");
        }
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = Require.present(tiers.get(i), "tiers[" + i + "]");
            String at = "tiers[" + i + "]";
            if (i == 0 && tier.from().signum() != 0) {
                throw new PricingInputException(at + ".from", "the first tier must start at 0, got "
                        + tier.from().toPlainString());
            }
            if (i > 0) {
                requireContiguous(tiers.get(i - 1), tier, i);
            }
            boolean last = i == tiers.size() - 1;
            if (tier.isUnbounded() && !last) {
                throw new PricingInputException(at + ".up_to", "only the last tier may be unbounded (up_to null), tier "
                        + i + " of " + tiers.size() + " is");
            }
            if (!tier.isUnbounded() && last) {
                throw new PricingInputException(at + ".up_to", "the last tier must be unbounded (up_to null), got "
                        + tier.upTo().toPlainString());
            }
            if (!tier.isUnbounded() && tier.upTo().compareTo(tier.from()) <= 0) {
                throw new PricingInputException(at + ".up_to", "must be above where tier " + i + " starts ("
                        + tier.from().toPlainString() + "), got " + tier.upTo().toPlainString()
                        + " — tiers must be in ascending order");
            }
        }
    }

    private static void requireContiguous(Tier previous, Tier tier, int i) {
        String at = "tiers[" + i + "].from";
        // previous.upTo() is set: an unbounded tier before the last was rejected at its own index.
        int cmp = tier.from().compareTo(previous.upTo());
        if (tier.from().compareTo(previous.from()) < 0) {
            throw new PricingInputException(at, "tiers must be in ascending order: tier " + i + " starts at "
                    + tier.from().toPlainString() + ", below tier " + (i - 1) + " (" + previous.from().toPlainString() + ")");
        }
        if (cmp > 0) {
            throw new PricingInputException(at, "gap between tiers: tier " + (i - 1) + " ends at "
                    + previous.upTo().toPlainString() + " but tier " + i + " starts at " + tier.from().toPlainString());
        }
        if (cmp < 0) {
            throw new PricingInputException(at, "tiers overlap: tier " + (i - 1) + " ends at "
                    + previous.upTo().toPlainString() + " but tier " + i + " starts at " + tier.from().toPlainString());
        }
    }

    /** One tier's share of a graduated total. */
    public record TierCharge(int tierIndex, BigDecimal units, BigDecimal amount) {
    }

    /** Collects Stripe-shaped tiers ({@code up_to} only) and derives each {@code from}. */
    public static final class Builder {

        private final List<Tier> tiers = new ArrayList<>();
        private BigDecimal next = BigDecimal.ZERO;

        private Builder() {
        }

        /** A tier ending at {@code upTo} (inclusive); {@code null} for the unbounded last tier. */
        public Builder tier(BigDecimal upTo, BigDecimal unitAmount, BigDecimal flatAmount) {
            if (next == null) {
                int unbounded = tiers.size() - 1;
                throw new PricingInputException("tiers[" + unbounded + "].up_to", "only the last tier may be unbounded"
                        + " (up_to null), tier " + unbounded + " is followed by another");
            }
            try {
                tiers.add(new Tier(next, upTo, unitAmount, flatAmount));
            } catch (PricingInputException e) {
                // A tier alone does not know its index; the builder does, and the caller needs it.
                throw new PricingInputException("tiers[" + tiers.size() + "]." + e.field(), e.reason());
            }
            next = upTo;
            return this;
        }

        public Builder upTo(String upTo, String unitAmount) {
            return tier(new BigDecimal(upTo), new BigDecimal(unitAmount), BigDecimal.ZERO);
        }

        public Builder upTo(String upTo, String unitAmount, String flatAmount) {
            return tier(new BigDecimal(upTo), new BigDecimal(unitAmount), new BigDecimal(flatAmount));
        }

        public Tiers rest(String unitAmount) {
            return rest(unitAmount, "0");
        }

        public Tiers rest(String unitAmount, String flatAmount) {
            tier(null, new BigDecimal(unitAmount), new BigDecimal(flatAmount));
            return build();
        }

        public Tiers build() {
            return new Tiers(tiers);
        }
    }
}
