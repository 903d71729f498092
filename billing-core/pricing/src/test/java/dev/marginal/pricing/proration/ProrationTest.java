package dev.marginal.pricing.proration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.InvoiceLine;
import dev.marginal.pricing.invoice.LineKind;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.FreePrice;
import dev.marginal.pricing.price.MeteredUnitPrice;
import dev.marginal.pricing.price.Recurrence;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ProrationTest {

    private static final Currency USD = Currency.getInstance("USD");
    /** April 2025: 30 days = 2,592,000 seconds. */
    private static final ServicePeriod APRIL = new ServicePeriod(Instant.parse("2025-04-01T00:00:00Z"),
            Instant.parse("2025-05-01T00:00:00Z"));
    private static final Instant APRIL_16 = Instant.parse("2025-04-16T00:00:00Z");

    private static final PlanChange.Item STARTER = new PlanChange.Item("Starter", new FixedPrice(USD, 1000, Recurrence.MONTHLY));
    private static final PlanChange.Item PRO = new PlanChange.Item("Pro", new FixedPrice(USD, 2000, Recurrence.MONTHLY));

    @Test
    void upgradingHalfwayCreditsHalfTheOldPriceAndChargesHalfTheNew() {
        // Stripe's own example: $10 → $20 halfway through. 15 of 30 days remain.
        // credit −1,000 × 15/30 = −500; charge 2,000 × 15/30 = +1,000; net +500 = $5.00
        ProrationOutcome outcome = Proration.apply(new PlanChange(STARTER, PRO, APRIL, APRIL_16), ProrationBehavior.PRORATE);
        assertThat(outcome.lines()).extracting(InvoiceLine::amount)
                .containsExactly(Money.of(-500, "USD"), Money.of(1000, "USD"));
        assertThat(outcome.lines()).extracting(InvoiceLine::kind).containsOnly(LineKind.PRORATION);
        assertThat(outcome.lines().get(0).description()).isEqualTo("Unused time on Starter after 2025-04-16");
        assertThat(outcome.lines().get(1).period()).isEqualTo(APRIL.from(APRIL_16));
        assertThat(outcome.net(USD)).isEqualTo(Money.of(500, "USD"));
        assertThat(outcome.invoiceNow()).isFalse();
        assertThat(outcome.effectiveAt()).isEqualTo(APRIL_16);
    }

    @Test
    void prorationIsBySecondAndRoundsEachLineOnce() {
        // $29 → $99 at 2025-04-10T13:37:11Z. Remaining: 20d 10h 22m 49s = 1,765,369 s of 2,592,000 s.
        // credit 2,900 × 1,765,369 / 2,592,000 = 1,975.1428 → −1,975
        // charge 9,900 × 1,765,369 / 2,592,000 = 6,742.7288 → 6,743
        Instant at = Instant.parse("2025-04-10T13:37:11Z");
        PlanChange change = new PlanChange(new PlanChange.Item("Basic", new FixedPrice(USD, 2900, Recurrence.MONTHLY)),
                new PlanChange.Item("Team", new FixedPrice(USD, 9900, Recurrence.MONTHLY)), APRIL, at);
        ProrationOutcome outcome = Proration.apply(change, ProrationBehavior.INVOICE_NOW);
        assertThat(outcome.lines()).extracting(l -> l.amount().minorUnits()).containsExactly(-1975L, 6743L);
        assertThat(outcome.invoiceNow()).isTrue();
    }

    @Test
    void prorationOverAFullPeriodEqualsThePrice() {
        assertThat(Proration.prorate(Money.of(2900, "USD"), APRIL, APRIL)).isEqualTo(Money.of(2900, "USD"));
        // a change at the very start credits the whole old price and charges the whole new one.
        ProrationOutcome outcome = Proration.apply(new PlanChange(STARTER, PRO, APRIL, APRIL.start()),
                ProrationBehavior.PRORATE);
        assertThat(outcome.lines()).extracting(l -> l.amount().minorUnits()).containsExactly(-1000L, 2000L);
    }

    @Test
    void addingSeatsProratesTheSamePriceAtTheNewQuantity() {
        FixedPrice seat = new FixedPrice(USD, 1500, Recurrence.MONTHLY);
        PlanChange change = new PlanChange(new PlanChange.Item("Team", seat, BigDecimal.valueOf(3), "seat"),
                new PlanChange.Item("Team", seat, BigDecimal.valueOf(5), "seat"), APRIL, APRIL_16);
        // credit −4,500 × ½ = −2,250; charge 7,500 × ½ = 3,750; net 1,500 = 2 seats for half a month.
        assertThat(Proration.apply(change, ProrationBehavior.PRORATE).net(USD)).isEqualTo(Money.of(1500, "USD"));
    }

    @Test
    void nextPeriodChangesNothingNowAndAppliesAtRenewal() {
        ProrationOutcome outcome = Proration.apply(new PlanChange(PRO, STARTER, APRIL, APRIL_16),
                ProrationBehavior.NEXT_PERIOD);
        assertThat(outcome.lines()).isEmpty();
        assertThat(outcome.effectiveAt()).isEqualTo(APRIL.end());
        assertThat(outcome.invoiceNow()).isFalse();
    }

    @Test
    void aDowngradeIsANetCredit() {
        // Pro → Starter halfway: −1,000 + 500 = −500.
        assertThat(Proration.apply(new PlanChange(PRO, STARTER, APRIL, APRIL_16), ProrationBehavior.PRORATE).net(USD))
                .isEqualTo(Money.of(-500, "USD"));
    }

    @Test
    void changingTheIntervalResetsTheCycleAndInvoicesNow() {
        // Monthly $20 → yearly $200 on April 16: credit −1,000 for the unused half of April,
        // then a full year from April 16 at $200; prorate is promoted to invoice_now, as Polar does.
        PlanChange.Item yearly = new PlanChange.Item("Pro yearly", new FixedPrice(USD, 20000, Recurrence.YEARLY));
        ProrationOutcome outcome = Proration.apply(new PlanChange(PRO, yearly, APRIL, APRIL_16), ProrationBehavior.PRORATE);
        assertThat(outcome.lines()).extracting(l -> l.amount().minorUnits()).containsExactly(-1000L, 20000L);
        assertThat(outcome.behavior()).isEqualTo(ProrationBehavior.INVOICE_NOW);
        assertThat(outcome.invoiceNow()).isTrue();
        assertThat(outcome.currentPeriod()).isEqualTo(new ServicePeriod(APRIL_16, Instant.parse("2026-04-16T00:00:00Z")));
    }

    @Test
    void upgradingFromFreeChargesOnlyTheRemainingTime() {
        PlanChange.Item free = new PlanChange.Item("Hobby", new FreePrice(USD));
        assertThat(Proration.apply(new PlanChange(free, PRO, APRIL, APRIL_16), ProrationBehavior.INVOICE_NOW).lines())
                .extracting(l -> l.amount().minorUnits()).containsExactly(0L, 1000L);
    }

    @Test
    void meteredPricesAreNotProratedAndChangesStayInsideThePeriod() {
        assertThatThrownBy(() -> new PlanChange.Item("Tokens", new MeteredUnitPrice(USD, BigDecimal.ONE)))
                .hasMessageStartingWith("price: only fixed and free recurring prices are prorated");
        assertThatThrownBy(() -> new PlanChange(STARTER, PRO, APRIL, APRIL.end()))
                .hasMessageStartingWith("at: must lie in the current period");
        PlanChange.Item euro = new PlanChange.Item("Pro EUR", new FixedPrice(Currency.getInstance("EUR"), 2000,
                Recurrence.MONTHLY));
        assertThatThrownBy(() -> new PlanChange(STARTER, euro, APRIL, APRIL_16))
                .hasMessageContaining("a plan change cannot switch currency: USD to EUR");
    }

    @Test
    void behavioursHaveTheirApiNames() {
        assertThat(ProrationBehavior.fromWire("invoice")).isEqualTo(ProrationBehavior.INVOICE_NOW);
        assertThat(ProrationBehavior.fromWire("next_period")).isEqualTo(ProrationBehavior.NEXT_PERIOD);
        assertThatThrownBy(() -> ProrationBehavior.fromWire("always")).hasMessageStartingWith("proration_behavior:");
    }

    // ---- properties ------------------------------------------------------------------------

    @Property
    void prorationOverAFullPeriodEqualsAnyPrice(@ForAll @LongRange(min = 0, max = 10_000_000_00L) long amount,
                                                @ForAll @IntRange(min = 1, max = 400 * 86_400) int seconds) {
        ServicePeriod period = new ServicePeriod(APRIL.start(), APRIL.start().plusSeconds(seconds));
        assertThat(Proration.prorate(Money.of(amount, "USD"), period, period)).isEqualTo(Money.of(amount, "USD"));
    }

    @Property
    void creditAndChargeOverASplitPeriodAreEachWithinHalfACentOfExact(
            @ForAll @LongRange(min = 0, max = 1_000_000_00L) long oldAmount,
            @ForAll @LongRange(min = 0, max = 1_000_000_00L) long newAmount,
            @ForAll @IntRange(min = 0, max = 2_591_999) int secondsIn) {
        Instant at = APRIL.start().plusSeconds(secondsIn);
        PlanChange change = new PlanChange(new PlanChange.Item("Old", new FixedPrice(USD, oldAmount, Recurrence.MONTHLY)),
                new PlanChange.Item("New", new FixedPrice(USD, newAmount, Recurrence.MONTHLY)), APRIL, at);
        ProrationOutcome outcome = Proration.apply(change, ProrationBehavior.PRORATE);

        BigDecimal remaining = BigDecimal.valueOf(2_592_000L - secondsIn);
        BigDecimal period = BigDecimal.valueOf(2_592_000L);
        // exact × period, compared in integers: |rounded × period − amount × remaining| ≤ period / 2
        long credit = outcome.lines().get(0).amount().minorUnits();
        long charge = outcome.lines().get(1).amount().minorUnits();
        assertThat(BigDecimal.valueOf(-credit).multiply(period).subtract(BigDecimal.valueOf(oldAmount).multiply(remaining))
                .abs()).isLessThanOrEqualTo(period.divide(BigDecimal.valueOf(2)));
        assertThat(BigDecimal.valueOf(charge).multiply(period).subtract(BigDecimal.valueOf(newAmount).multiply(remaining))
                .abs()).isLessThanOrEqualTo(period.divide(BigDecimal.valueOf(2)));
        // so the net differs from the exact difference by less than one cent, never more.
        assertThat(BigDecimal.valueOf(credit + charge).multiply(period)
                .subtract(BigDecimal.valueOf(newAmount - oldAmount).multiply(remaining)).abs())
                .isLessThanOrEqualTo(period);
    }

    @Property
    void usedTimePlusTheCreditIsExactlyWhatWasPaid(@ForAll @LongRange(min = 0, max = 1_000_000_00L) long amount,
                                                   @ForAll @IntRange(min = 1, max = 2_591_999) int secondsIn) {
        // The used part is defined as what the credit leaves of the price, so the two can never
        // drift apart by a rounding; and it never goes negative or above the price.
        Money paid = Money.of(amount, "USD");
        Money unused = Proration.prorate(paid, APRIL, APRIL.from(APRIL.start().plusSeconds(secondsIn)));
        Money used = paid.minus(unused);
        assertThat(used.plus(unused)).isEqualTo(paid);
        assertThat(used.minorUnits()).isBetween(0L, amount);
    }

    @Property
    void aLaterChangeNeverCreditsMore(@ForAll @LongRange(min = 0, max = 1_000_000_00L) long amount,
                                      @ForAll @IntRange(min = 0, max = 2_591_998) int secondsIn) {
        Money paid = Money.of(amount, "USD");
        Money earlier = Proration.prorate(paid, APRIL, APRIL.from(APRIL.start().plusSeconds(secondsIn)));
        Money later = Proration.prorate(paid, APRIL, APRIL.from(APRIL.start().plusSeconds(secondsIn + 1L)));
        assertThat(later.minorUnits()).isLessThanOrEqualTo(earlier.minorUnits());
    }
}
