package dev.marginal.pricing.price;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.price.PackagePrice.PackageRounding;
import dev.marginal.pricing.tier.Tiers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A period's bill depends on its total usage only: the meter sums the events, the price rounds once.
 * Pricing each event and adding the cents would not hold this (0.4 ¢ + 0.4 ¢ rounds to 0 ¢ twice,
 * 0.8 ¢ rounds to 1 ¢), which is why lines round and events never do.
 */
class UsageSplittingTest {

    private static final Currency USD = Currency.getInstance("USD");

    @Property
    void splittingUsageIntoAnyNumberOfEventsNeverChangesThePeriodsBill(@ForAll("prices") Price price,
                                                                      @ForAll("events") List<BigDecimal> events) {
        BigDecimal total = events.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        // The same usage reported as twice as many events: each one split into two halves.
        List<BigDecimal> resplit = new ArrayList<>();
        for (BigDecimal event : events) {
            BigDecimal half = event.divide(BigDecimal.valueOf(2));
            resplit.add(half);
            resplit.add(event.subtract(half));
        }
        BigDecimal resplitTotal = resplit.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        Money once = price.amount(total);
        assertThat(price.amount(resplitTotal)).isEqualTo(once);
        assertThat(price.exactAmount(resplitTotal)).isEqualByComparingTo(price.exactAmount(total));
    }

    @Property
    void aUnitPriceIsExactlyLinearSoEventsPricedAloneSumToThePeriodsExactAmount(
            @ForAll("events") List<BigDecimal> events) {
        // Holds only because nothing rounds before the line: a per-event rounding (or a double)
        // anywhere in exactAmount breaks it.
        MeteredUnitPrice tokens = new MeteredUnitPrice(USD, new BigDecimal("0.000125"));
        BigDecimal perEvent = events.stream().map(tokens::exactAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal total = events.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(perEvent).isEqualByComparingTo(tokens.exactAmount(total));
    }

    @Property
    void aLineIsWithinHalfAMinorUnitOfItsExactAmount(@ForAll("prices") Price price,
                                                     @ForAll("events") List<BigDecimal> events) {
        BigDecimal total = events.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal error = BigDecimal.valueOf(price.amount(total).minorUnits()).subtract(price.exactAmount(total)).abs();
        assertThat(error).isLessThanOrEqualTo(new BigDecimal("0.5"));
    }

    @Provide
    Arbitrary<Price> prices() {
        Tiers tiers = Tiers.builder().upTo("1000", "0").upTo("50000", "0.0375", "150").rest("0.0125");
        return Arbitraries.of(
                new MeteredUnitPrice(USD, new BigDecimal("0.000125")),
                new MeteredUnitPrice(USD, new BigDecimal("0.4"), 100_000L, new BigDecimal("500")),
                new GraduatedPrice(USD, tiers),
                new VolumePrice(USD, tiers),
                new PackagePrice(USD, new BigDecimal("1000"), new BigDecimal("99"), PackageRounding.UP, BigDecimal.ZERO));
    }

    @Provide
    Arbitrary<List<BigDecimal>> events() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("5000")).ofScale(4)
                .list().ofMinSize(1).ofMaxSize(200);
    }
}
