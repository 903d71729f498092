package dev.marginal.pricing.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;

import dev.marginal.pricing.Money;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TaxCalculationTest {

    private static final TaxDecision GERMANY = TaxDecision.standard("DE", TaxRate.percent("19"));
    private static final TaxDecision NEW_YORK_CITY = TaxDecision.standard("US-NY", TaxRate.percent("8.875"));

    @Test
    void taxExclusiveAddsTheRoundedTaxOnTop() {
        // 29.00 € net × 19 % = 5.51 € → gross 34.51 €
        TaxedAmount taxed = TaxCalculation.of(Money.of(2900, "EUR"), TaxBehavior.EXCLUSIVE, GERMANY);
        assertThat(taxed.tax()).isEqualTo(Money.of(551, "EUR"));
        assertThat(taxed.gross()).isEqualTo(Money.of(3451, "EUR"));
        // $9.99 × 8.875 % = 88.66125 ¢ → 89 ¢ → $10.88
        assertThat(TaxCalculation.of(Money.of(999, "USD"), TaxBehavior.EXCLUSIVE, NEW_YORK_CITY).gross())
                .isEqualTo(Money.of(1088, "USD"));
    }

    @Test
    void taxRoundsHalfEven() {
        // 50 ¢ × 19 % = 9.5 ¢ → 10 ¢; 150 ¢ × 19 % = 28.5 ¢ → 28 ¢ (to the even cent, not up).
        assertThat(TaxCalculation.of(Money.of(50, "EUR"), TaxBehavior.EXCLUSIVE, GERMANY).tax().minorUnits()).isEqualTo(10);
        assertThat(TaxCalculation.of(Money.of(150, "EUR"), TaxBehavior.EXCLUSIVE, GERMANY).tax().minorUnits()).isEqualTo(28);
    }

    @Test
    void taxInclusiveNetPlusTaxIsTheGross() {
        // 10.00 € gross at 19 %: net = 1,000 × 100 / 119 = 840.336 → 840; tax = 1,000 − 840 = 160.
        TaxedAmount taxed = TaxCalculation.of(Money.of(1000, "EUR"), TaxBehavior.INCLUSIVE, GERMANY);
        assertThat(taxed.net()).isEqualTo(Money.of(840, "EUR"));
        assertThat(taxed.tax()).isEqualTo(Money.of(160, "EUR"));
        assertThat(taxed.gross()).isEqualTo(Money.of(1000, "EUR"));
        // 29.00 € gross at 21 % (NL): net = 2,900 / 1.21 = 2,396.69 → 2,397; tax 503.
        TaxedAmount dutch = TaxCalculation.of(Money.of(2900, "EUR"), TaxBehavior.INCLUSIVE,
                TaxDecision.standard("NL", TaxRate.percent("21")));
        assertThat(dutch.net().minorUnits()).isEqualTo(2397);
        assertThat(dutch.tax().minorUnits()).isEqualTo(503);
    }

    @Test
    void reverseChargeIsZeroRatedAndFlagged() {
        TaxRule germany = new TaxRule("DE", TaxRate.percent("19"), true);
        TaxDecision business = germany.decide("DE123456789");
        TaxedAmount taxed = TaxCalculation.of(Money.of(2900, "EUR"), TaxBehavior.EXCLUSIVE, business);
        assertThat(business.isReverseCharge()).isTrue();
        assertThat(business.customerTaxId()).isEqualTo("DE123456789");
        assertThat(taxed.tax()).isEqualTo(Money.zero(taxed.net().currency()));
        assertThat(taxed.gross()).isEqualTo(Money.of(2900, "EUR"));
        // the same rule for a consumer charges the standard rate.
        assertThat(germany.decide(null)).isEqualTo(GERMANY);
        assertThat(germany.decide(" ").treatment()).isEqualTo(TaxTreatment.STANDARD);
    }

    @Test
    void whereThereIsNoReverseChargeABusinessPaysTheRate() {
        TaxRule unitedKingdom = new TaxRule("GB", TaxRate.percent("20"), false);
        assertThat(unitedKingdom.decide("GB123456789").treatment()).isEqualTo(TaxTreatment.STANDARD);
        assertThat(unitedKingdom.decide("GB123456789").rate()).isEqualTo(TaxRate.percent("20.0"));
    }

    @Test
    void aRateHasAStatedScale() {
        assertThat(TaxRate.percent("19").percent()).isEqualByComparingTo("19").hasScaleOf(4);
        assertThat(TaxRate.percent("8.875").toString()).isEqualTo("8.875%");
        assertThatThrownBy(() -> TaxRate.percent("19.00001")).hasMessage("tax_rate: has more than 4 decimals: 19.00001");
        assertThatThrownBy(() -> TaxRate.percent("-1")).hasMessage("tax_rate: must not be negative, got -1");
        assertThatThrownBy(() -> TaxRate.percent("119")).hasMessageStartingWith("tax_rate: must be a percentage");
    }

    @Test
    void aReverseChargeCarriesNoRateAndNeedsAVatId() {
        assertThatThrownBy(() -> new TaxDecision(TaxTreatment.REVERSE_CHARGE, TaxRate.percent("19"), "DE", "DE1"))
                .hasMessage("tax_rate: must be 0 for REVERSE_CHARGE, got 19%");
        assertThatThrownBy(() -> TaxDecision.reverseCharge("DE", null))
                .hasMessage("customer_tax_id: is required for a reverse charge");
    }

    // ---- properties ------------------------------------------------------------------------

    @Property
    void taxInclusiveNetPlusTaxIsAlwaysTheGross(@ForAll @LongRange(min = -100_000_000, max = 100_000_000) long gross,
                                                @ForAll("rates") TaxRate rate) {
        TaxedAmount taxed = TaxCalculation.of(Money.of(gross, "EUR"), TaxBehavior.INCLUSIVE, TaxDecision.standard("X", rate));
        assertThat(taxed.net().plus(taxed.tax())).isEqualTo(Money.of(gross, "EUR"));
        // and the net is the exact net rounded: within half a cent of gross / (1 + rate).
        BigDecimal exactNet = BigDecimal.valueOf(gross).divide(BigDecimal.ONE.add(rate.fraction()), MathContext.DECIMAL128);
        assertThat(BigDecimal.valueOf(taxed.net().minorUnits()).subtract(exactNet).abs())
                .isLessThanOrEqualTo(new BigDecimal("0.5"));
    }

    @Property
    void taxExclusiveTaxIsWithinHalfACentOfExact(@ForAll @LongRange(min = 0, max = 100_000_000) long net,
                                                 @ForAll("rates") TaxRate rate) {
        TaxedAmount taxed = TaxCalculation.of(Money.of(net, "USD"), TaxBehavior.EXCLUSIVE, TaxDecision.standard("X", rate));
        BigDecimal exact = BigDecimal.valueOf(net).multiply(rate.fraction());
        assertThat(BigDecimal.valueOf(taxed.tax().minorUnits()).subtract(exact).abs())
                .isLessThanOrEqualTo(new BigDecimal("0.5"));
        assertThat(taxed.net().plus(taxed.tax())).isEqualTo(taxed.gross());
    }

    @Property
    void aCreditIsTaxedAsTheMirrorOfTheCharge(@ForAll @LongRange(min = 0, max = 100_000_000) long amount,
                                              @ForAll("rates") TaxRate rate) {
        // half-even is symmetric, so refunding a line refunds exactly the tax it charged.
        TaxDecision decision = TaxDecision.standard("X", rate);
        for (TaxBehavior behavior : TaxBehavior.values()) {
            TaxedAmount charge = TaxCalculation.of(Money.of(amount, "USD"), behavior, decision);
            TaxedAmount credit = TaxCalculation.of(Money.of(-amount, "USD"), behavior, decision);
            assertThat(credit.tax()).isEqualTo(charge.tax().negate());
        }
    }

    @Provide
    Arbitrary<TaxRate> rates() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("30")).ofScale(4).map(TaxRate::new);
    }
}
