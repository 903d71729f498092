package dev.marginal.pricing.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import dev.marginal.pricing.PricingInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TiersTest {

    /** An API-call plan: first 1,000 free, then 0.5¢ up to 10,000, then 0.2¢, with a $20 platform fee from tier 2. */
    private static final Tiers API_CALLS = Tiers.builder()
            .upTo("1000", "0")
            .upTo("10000", "0.5", "2000")
            .rest("0.2");

    @Test
    void graduatedTotalIsTheSumOfItsTiers() {
        // 12,500 calls: 1,000 × 0 + (9,000 × 0.5 + 2,000 flat) + 2,500 × 0.2
        //             = 0 + 4,500 + 2,000 + 500 = 7,000 cents = $70.00
        assertThat(API_CALLS.graduatedAmount(new BigDecimal("12500"))).isEqualByComparingTo("7000");
        assertThat(API_CALLS.graduatedBreakdown(new BigDecimal("12500")))
                .extracting(Tiers.TierCharge::amount)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0"), new BigDecimal("6500"), new BigDecimal("500"));
    }

    @Test
    void anUpperBoundIsInclusiveAsInStripe() {
        // exactly 1,000 calls stay in the free tier; 1,001 reach tier 1: 1 × 0.5 + 2,000 flat.
        assertThat(API_CALLS.graduatedAmount(new BigDecimal("1000"))).isEqualByComparingTo("0");
        assertThat(API_CALLS.graduatedAmount(new BigDecimal("1001"))).isEqualByComparingTo("2000.5");
        assertThat(API_CALLS.tierFor(new BigDecimal("1000")).upTo()).isEqualByComparingTo("1000");
    }

    @Test
    void decimalQuantitiesBetweenIntegerBoundsStillHaveATier() {
        // 1000.25 GB: 0.25 GB into tier 1 → 0.25 × 0.5 + 2,000 = 2,000.125 cents.
        assertThat(API_CALLS.graduatedAmount(new BigDecimal("1000.25"))).isEqualByComparingTo("2000.125");
    }

    @Test
    void volumeTotalUsesTheTierTheQuantityFallsIn() {
        // 12,500 calls fall in the last tier: 12,500 × 0.2 = 2,500 cents; no flat fee there.
        assertThat(API_CALLS.volumeAmount(new BigDecimal("12500"))).isEqualByComparingTo("2500");
        // 5,000 calls fall in tier 1: 5,000 × 0.5 + 2,000 flat = 4,500 cents.
        assertThat(API_CALLS.volumeAmount(new BigDecimal("5000"))).isEqualByComparingTo("4500");
        // Crossing into a cheaper tier lowers the whole bill: 10,000 → 7,000; 10,001 → 2,000.2.
        assertThat(API_CALLS.volumeAmount(new BigDecimal("10000"))).isEqualByComparingTo("7000");
        assertThat(API_CALLS.volumeAmount(new BigDecimal("10001"))).isEqualByComparingTo("2000.2");
    }

    @Test
    void zeroUsageCostsNothingNotEvenAFlatFee() {
        Tiers flatFirst = Tiers.builder().upTo("10", "1", "500").rest("1");
        assertThat(flatFirst.graduatedAmount(BigDecimal.ZERO)).isZero();
        assertThat(flatFirst.volumeAmount(BigDecimal.ZERO)).isZero();
        // a single unit reaches tier 0: 1 × 1 + 500.
        assertThat(flatFirst.volumeAmount(BigDecimal.ONE)).isEqualByComparingTo("501");
    }

    @Test
    void aGapBetweenTiersIsRejectedNamingTheTier() {
        List<Tier> gap = List.of(tier("0", "100"), tier("150", "1000"), tier("1000", null));
        assertThatThrownBy(() -> new Tiers(gap))
                .isInstanceOf(PricingInputException.class)
                .hasMessage("tiers[1].from: gap between tiers: tier 0 ends at 100 but tier 1 starts at 150");
    }

    @Test
    void overlappingTiersAreRejected() {
        List<Tier> overlap = List.of(tier("0", "100"), tier("90", "1000"), tier("1000", null));
        assertThatThrownBy(() -> new Tiers(overlap))
                .hasMessage("tiers[1].from: tiers overlap: tier 0 ends at 100 but tier 1 starts at 90");
    }

    @Test
    void unsortedTiersAreRejected() {
        assertThatThrownBy(() -> Tiers.builder().upTo("1000", "1").upTo("100", "2").rest("3"))
                .isInstanceOf(PricingInputException.class)
                .hasMessageContaining("tiers[1].up_to")
                .hasMessageContaining("ascending order");
        List<Tier> shuffled = List.of(tier("0", "100"), tier("1000", null), tier("100", "1000"));
        assertThatThrownBy(() -> new Tiers(shuffled)).hasMessageContaining("tiers[1]");
        List<Tier> backwards = List.of(tier("0", "100"), tier("100", "1000"), tier("50", null));
        assertThatThrownBy(() -> new Tiers(backwards))
                .hasMessage("tiers[2].from: tiers must be in ascending order: tier 2 starts at 50, below tier 1 (100)");
    }

    @Test
    void onlyTheLastTierIsUnboundedAndItMustBe() {
        assertThatThrownBy(() -> new Tiers(List.of(tier("0", null), tier("100", null))))
                .hasMessageStartingWith("tiers[0].up_to: only the last tier may be unbounded");
        assertThatThrownBy(() -> new Tiers(List.of(tier("0", "100"))))
                .hasMessage("tiers[0].up_to: the last tier must be unbounded (up_to null), got 100");
        assertThatThrownBy(() -> Tiers.builder().tier(null, BigDecimal.ONE, null).tier(null, BigDecimal.ONE, null))
                .hasMessageStartingWith("tiers[0].up_to: only the last tier may be unbounded");
        assertThatThrownBy(() -> new Tiers(List.of())).hasMessage("tiers: must hold at least one tier");
    }

    @Test
    void theFirstTierStartsAtZero() {
        assertThatThrownBy(() -> new Tiers(List.of(tier("5", null))))
                .hasMessage("tiers[0].from: the first tier must start at 0, got 5");
    }

    @Test
    void negativeAndOverPreciseTierAmountsAreRejected() {
        assertThatThrownBy(() -> Tiers.builder().upTo("10", "-1"))
                .hasMessage("tiers[0].unit_amount: must not be negative, got -1");
        assertThatThrownBy(() -> Tiers.builder().upTo("10", "1").upTo("20", "1", "-5"))
                .hasMessage("tiers[1].flat_amount: must not be negative, got -5");
        assertThatThrownBy(() -> Tiers.builder().upTo("10", "0.0000000000001"))
                .hasMessageContaining("more than 12 decimals");
    }

    @Test
    void negativeQuantityIsRejected() {
        assertThatThrownBy(() -> API_CALLS.graduatedAmount(new BigDecimal("-1")))
                .hasMessage("quantity: must not be negative, got -1");
    }

    // ---- properties ------------------------------------------------------------------------

    @Property
    void graduatedTotalIsTheSumOfItsTiersCountedUnitByUnit(@ForAll("tiers") Tiers tiers,
                                                           @ForAll @IntRange(min = 0, max = 4000) int quantity) {
        // An independent oracle: walk the units 1..q one at a time, each paying the rate of the
        // tier holding it, and add the flat fee of every tier some unit reached.
        BigDecimal expected = BigDecimal.ZERO;
        boolean[] reached = new boolean[tiers.tiers().size()];
        for (int unit = 1; unit <= quantity; unit++) {
            int index = indexHolding(tiers, BigDecimal.valueOf(unit));
            expected = expected.add(tiers.tiers().get(index).unitAmount());
            reached[index] = true;
        }
        for (int i = 0; i < reached.length; i++) {
            if (reached[i]) {
                expected = expected.add(tiers.tiers().get(i).flatAmount());
            }
        }
        assertThat(tiers.graduatedAmount(BigDecimal.valueOf(quantity))).isEqualByComparingTo(expected);
    }

    @Property
    void graduatedTotalNeverDecreasesAsQuantityGrows(@ForAll("tiers") Tiers tiers,
                                                     @ForAll("quantities") BigDecimal quantity,
                                                     @ForAll("quantities") BigDecimal more) {
        assertThat(tiers.graduatedAmount(quantity.add(more))).isGreaterThanOrEqualTo(tiers.graduatedAmount(quantity));
    }

    @Property
    void volumeTotalIsTheQuantityTimesTheUnitPriceOfItsTier(@ForAll("tiers") Tiers tiers,
                                                           @ForAll("quantities") BigDecimal quantity) {
        BigDecimal expected = BigDecimal.ZERO;
        if (quantity.signum() > 0) {
            Tier tier = tiers.tiers().get(indexHolding(tiers, quantity));
            expected = quantity.multiply(tier.unitAmount()).add(tier.flatAmount());
        }
        assertThat(tiers.volumeAmount(quantity)).isEqualByComparingTo(expected);
    }

    /** The oracle's own tier lookup: the last tier whose lower bound is below the quantity. */
    private static int indexHolding(Tiers tiers, BigDecimal quantity) {
        int index = 0;
        for (int i = 0; i < tiers.tiers().size(); i++) {
            if (quantity.compareTo(tiers.tiers().get(i).from()) > 0) {
                index = i;
            }
        }
        return index;
    }

    @Provide
    Arbitrary<Tiers> tiers() {
        Arbitrary<List<Integer>> widths = Arbitraries.integers().between(1, 1500).list().ofMaxSize(4);
        Arbitrary<List<BigDecimal>> units = minorAmounts().list().ofSize(5);
        Arbitrary<List<BigDecimal>> flats = Arbitraries.oneOf(Arbitraries.just(BigDecimal.ZERO),
                Arbitraries.longs().between(0, 5000).map(BigDecimal::valueOf)).list().ofSize(5);
        return Combinators.combine(widths, units, flats).as((w, u, f) -> {
            Tiers.Builder builder = Tiers.builder();
            BigDecimal bound = BigDecimal.ZERO;
            for (int i = 0; i < w.size(); i++) {
                bound = bound.add(BigDecimal.valueOf(w.get(i)));
                builder.tier(bound, u.get(i), f.get(i));
            }
            return builder.tier(null, u.get(w.size()), f.get(w.size())).build();
        });
    }

    @Provide
    Arbitrary<BigDecimal> quantities() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("10000")).ofScale(3);
    }

    /** Minor-unit amounts with 0 to 12 decimals, e.g. 0.000125 cents per token. */
    static Arbitrary<BigDecimal> minorAmounts() {
        return Combinators.combine(Arbitraries.longs().between(0, 10_000_000), Arbitraries.integers().between(0, 12))
                .as(BigDecimal::valueOf);
    }

    private static Tier tier(String from, String upTo) {
        return new Tier(new BigDecimal(from), upTo == null ? null : new BigDecimal(upTo), BigDecimal.ONE, null);
    }

}
