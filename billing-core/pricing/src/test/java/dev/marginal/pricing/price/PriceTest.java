package dev.marginal.pricing.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.price.PackagePrice.PackageRounding;
import dev.marginal.pricing.tier.Tiers;
import org.junit.jupiter.api.Test;

class PriceTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Currency JPY = Currency.getInstance("JPY");

    @Test
    void aFixedPriceChargesItsAmountPerSeat() {
        FixedPrice pro = new FixedPrice(USD, 2900, Recurrence.MONTHLY);
        // 3 seats × $29.00 = $87.00
        assertThat(pro.amount(3)).isEqualTo(Money.of(8700, "USD"));
        assertThat(pro.type()).isEqualTo("fixed");
        assertThat(pro.billing()).isEqualTo(Price.Billing.IN_ADVANCE);
    }

    @Test
    void seatsAreWholeNumbers() {
        FixedPrice pro = new FixedPrice(USD, 2900, Recurrence.MONTHLY);
        assertThatThrownBy(() -> pro.amount(new BigDecimal("1.5")))
                .hasMessage("quantity: must be a whole number for this price, got 1.5");
    }

    @Test
    void aOneTimePriceIsPaidOncePerPurchase() {
        assertThat(new OneTimePrice(EUR, 4900).amount(2)).isEqualTo(Money.of(9800, "EUR"));
    }

    @Test
    void aFreePriceIsZeroInItsCurrency() {
        assertThat(new FreePrice(EUR).amount(1)).isEqualTo(Money.zero(EUR));
    }

    @Test
    void meteredUsageRoundsOnceForThePeriod() {
        // 0.000125 ¢ per token (= $1.25 per million); 3,141,593 tokens → 392.699125 ¢ → 393 ¢.
        MeteredUnitPrice tokens = new MeteredUnitPrice(USD, new BigDecimal("0.000125"));
        assertThat(tokens.exactAmount(new BigDecimal("3141593"))).isEqualByComparingTo("392.699125");
        assertThat(tokens.amount(3_141_593)).isEqualTo(Money.of(393, "USD"));
    }

    @Test
    void halfACentRoundsToTheEvenCent() {
        // 0.05 ¢ × 30 = 1.5 ¢ → 2 ¢ (Stripe's own example); 0.05 ¢ × 50 = 2.5 ¢ → 2 ¢ half-even (Stripe: 3 ¢).
        MeteredUnitPrice storage = new MeteredUnitPrice(USD, new BigDecimal("0.05"));
        assertThat(storage.amount(30).minorUnits()).isEqualTo(2);
        assertThat(storage.amount(50).minorUnits()).isEqualTo(2);
        assertThat(storage.amount(70).minorUnits()).isEqualTo(4);
    }

    @Test
    void meteredUsageStopsAtItsCapAndStartsAfterTheAllowance() {
        // 2 ¢ per request, first 1,000 free, at most $50 a month.
        MeteredUnitPrice requests = new MeteredUnitPrice(USD, new BigDecimal("2"), 5000L, new BigDecimal("1000"));
        assertThat(requests.amount(800)).isEqualTo(Money.of(0, "USD"));
        // (2,500 − 1,000) × 2 = 3,000 ¢
        assertThat(requests.amount(2500)).isEqualTo(Money.of(3000, "USD"));
        // (9,000 − 1,000) × 2 = 16,000 ¢, capped at 5,000 ¢
        assertThat(requests.amount(9000)).isEqualTo(Money.of(5000, "USD"));
    }

    @Test
    void packagesRoundUpOrDown() {
        // $5 per 1,000 emails, first 100 free. 2,350 emails → 2,250 billable → 2.25 packages.
        PackagePrice up = new PackagePrice(USD, new BigDecimal("1000"), new BigDecimal("500"), PackageRounding.UP,
                new BigDecimal("100"));
        PackagePrice down = new PackagePrice(USD, new BigDecimal("1000"), new BigDecimal("500"), PackageRounding.DOWN,
                new BigDecimal("100"));
        assertThat(up.packages(new BigDecimal("2350"))).isEqualByComparingTo("3");
        assertThat(up.amount(2350)).isEqualTo(Money.of(1500, "USD"));
        assertThat(down.amount(2350)).isEqualTo(Money.of(1000, "USD"));
        assertThat(up.amount(100)).isEqualTo(Money.zero(USD));
    }

    @Test
    void tieredPricesRoundTheirExactTotalOnce() {
        Tiers tiers = Tiers.builder().upTo("100", "0.333").rest("0.1");
        // graduated 150: 100 × 0.333 + 50 × 0.1 = 33.3 + 5 = 38.3 ¢ → 38 ¢
        assertThat(new GraduatedPrice(USD, tiers).amount(150)).isEqualTo(Money.of(38, "USD"));
        // volume 150: 150 × 0.1 = 15 ¢; volume 90: 90 × 0.333 = 29.97 ¢ → 30 ¢
        assertThat(new VolumePrice(USD, tiers).amount(150)).isEqualTo(Money.of(15, "USD"));
        assertThat(new VolumePrice(USD, tiers).amount(90)).isEqualTo(Money.of(30, "USD"));
    }

    @Test
    void yenHasNoMinorUnitsSoAmountsAreWholeYen() {
        // ¥0.4 per call × 1,234 calls = ¥493.6 → ¥494
        assertThat(new MeteredUnitPrice(JPY, new BigDecimal("0.4")).amount(1234)).isEqualTo(Money.of(494, "JPY"));
    }

    @Test
    void negativeAmountsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> new FixedPrice(USD, -1, Recurrence.MONTHLY))
                .isInstanceOf(PricingInputException.class)
                .hasMessage("price_amount: must not be negative, got -1")
                .extracting(e -> ((PricingInputException) e).field()).isEqualTo("price_amount");
        assertThatThrownBy(() -> new MeteredUnitPrice(USD, new BigDecimal("-0.01")))
                .hasMessage("unit_amount: must not be negative, got -0.01");
        assertThatThrownBy(() -> new MeteredUnitPrice(USD, BigDecimal.ONE, -5L, null))
                .hasMessage("cap_amount: must not be negative, got -5");
        assertThatThrownBy(() -> new OneTimePrice(USD, -100)).hasMessageStartingWith("price_amount");
    }

    @Test
    void moreThanTwelveDecimalsOfACentIsRejected() {
        assertThatThrownBy(() -> new MeteredUnitPrice(USD, new BigDecimal("0.0000000000001")))
                .hasMessage("unit_amount: has more than 12 decimals of a minor unit: 0.0000000000001");
        // trailing zeros are not precision: 0.000000000001000 is 12 decimals.
        assertThat(new MeteredUnitPrice(USD, new BigDecimal("0.000000000001000")).unitAmount()).isNotNull();
    }

    @Test
    void zeroPackageSizeIsRejected() {
        assertThatThrownBy(() -> new PackagePrice(USD, BigDecimal.ZERO, BigDecimal.TEN, PackageRounding.UP, null))
                .hasMessage("package_size: must be greater than zero, got 0");
        assertThatThrownBy(() -> PackageRounding.fromWire("nearest")).hasMessage("round: must be up or down, got nearest");
    }

    @Test
    void aPriceNeedsAMoneyCurrency() {
        assertThatThrownBy(() -> new FreePrice(null)).hasMessage("price_currency: is required");
        assertThatThrownBy(() -> new FreePrice(Currency.getInstance("XAU")))
                .hasMessage("price_currency: is not a money currency: XAU");
        assertThatThrownBy(() -> new FreePrice(Money.currency("USX"))).hasMessage("unknown currency: USX");
    }

    @Test
    void recurrenceIsMonthOrYearWithinAYear() {
        assertThat(new Recurrence(Recurrence.Interval.MONTH, 3).months()).isEqualTo(3);
        assertThatThrownBy(() -> new Recurrence(Recurrence.Interval.MONTH, 0))
                .hasMessageStartingWith("recurring_interval_count: must be 1 or more");
        assertThatThrownBy(() -> new Recurrence(Recurrence.Interval.YEAR, 2))
                .hasMessageStartingWith("recurring_interval_count");
        assertThatThrownBy(() -> Recurrence.Interval.fromWire("week"))
                .hasMessage("recurring_interval: must be month or year, got week");
    }

    @Test
    void negativeUsageIsRejected() {
        assertThatThrownBy(() -> new MeteredUnitPrice(USD, BigDecimal.ONE).amount(new BigDecimal("-3")))
                .hasMessage("quantity: must not be negative, got -3");
    }
}
