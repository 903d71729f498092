package dev.marginal.pricing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.MeteredUnitPrice;
import dev.marginal.pricing.price.Recurrence;
import dev.marginal.pricing.tax.TaxBehavior;
import dev.marginal.pricing.tax.TaxDecision;
import dev.marginal.pricing.tax.TaxRate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class InvoiceTest {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final ServicePeriod APRIL = new ServicePeriod(Instant.parse("2025-04-01T00:00:00Z"),
            Instant.parse("2025-05-01T00:00:00Z"));
    private static final TaxDecision GERMANY = TaxDecision.standard("DE", TaxRate.percent("19"));

    /** Ada Labs' April: Pro at 49 €, 12,345,678 tokens at 0.000125 ¢, a 10 % coupon, German VAT on top. */
    @Test
    void adaLabsAprilOrder() {
        InvoiceLine pro = InvoiceLine.priced("Pro", APRIL, new FixedPrice(EUR, 4900, Recurrence.MONTHLY), BigDecimal.ONE,
                "seat");
        // 12,345,678 × 0.000125 = 1,543.20975 ¢ → 1,543 ¢
        InvoiceLine tokens = InvoiceLine.priced("LLM tokens", APRIL, new MeteredUnitPrice(EUR, new BigDecimal("0.000125")),
                new BigDecimal("12345678"), "token");
        assertThat(pro.kind()).isEqualTo(LineKind.FIXED);
        assertThat(tokens.kind()).isEqualTo(LineKind.METERED);

        Invoice order = Invoice.compute(EUR, List.of(pro, tokens), Discount.percentage("10"), TaxBehavior.EXCLUSIVE,
                GERMANY);
        // subtotal 4,900 + 1,543 = 6,443; discount 10 % = 644.3 → 644
        assertThat(order.subtotal()).isEqualTo(Money.of(6443, "EUR"));
        assertThat(order.discount()).isEqualTo(Money.of(644, "EUR"));
        // 644 spread 4,900 : 1,543 → 489.77 and 154.23 → floors 489 + 154 = 643, the spare cent to the
        // larger remainder (.77): 490 and 154.
        assertThat(order.lines()).extracting(l -> l.discount().minorUnits()).containsExactly(490L, 154L);
        // tax per line: 4,410 × 19 % = 837.9 → 838; 1,389 × 19 % = 263.91 → 264; total tax 1,102
        assertThat(order.lines()).extracting(l -> l.tax().minorUnits()).containsExactly(838L, 264L);
        assertThat(order.tax()).isEqualTo(Money.of(1102, "EUR"));
        // net 4,410 + 1,389 = 5,799 (the revenue); total 5,799 + 1,102 = 6,901 = 6,443 − 644 + 1,102
        assertThat(order.net()).isEqualTo(Money.of(5799, "EUR"));
        assertThat(order.total()).isEqualTo(Money.of(6901, "EUR"));
    }

    @Test
    void taxInclusivePricesKeepTheTotalAndSplitOutTheTax() {
        InvoiceLine pro = line(LineKind.FIXED, 1000);
        Invoice order = Invoice.compute(EUR, List.of(pro), null, TaxBehavior.INCLUSIVE, GERMANY);
        // 10.00 € gross: net 840, tax 160, total stays 1,000.
        assertThat(order.total()).isEqualTo(Money.of(1000, "EUR"));
        assertThat(order.net()).isEqualTo(Money.of(840, "EUR"));
        assertThat(order.tax()).isEqualTo(Money.of(160, "EUR"));
    }

    @Test
    void aReverseChargedOrderHasNoTax() {
        Invoice order = Invoice.compute(EUR, List.of(line(LineKind.FIXED, 4900)), null, TaxBehavior.EXCLUSIVE,
                TaxDecision.reverseCharge("FR", "FR12345678901"));
        assertThat(order.tax().isZero()).isTrue();
        assertThat(order.total()).isEqualTo(Money.of(4900, "EUR"));
        assertThat(order.lines().get(0).taxed().decision().isReverseCharge()).isTrue();
    }

    @Test
    void aDiscountNeverTakesTheOrderBelowZero() {
        Invoice order = Invoice.compute(EUR, List.of(line(LineKind.FIXED, 3000)),
                Discount.fixedAmount(Money.of(10000, "EUR")), TaxBehavior.EXCLUSIVE, GERMANY);
        assertThat(order.discount()).isEqualTo(Money.of(3000, "EUR"));
        assertThat(order.total()).isEqualTo(Money.zero(EUR));
    }

    @Test
    void aNetCreditGetsNoDiscountAndCarriesItsTaxBack() {
        // a downgrade: credit −1,000, charge +500 → −500; tax −95 (19 % of −500); total −595.
        Invoice order = Invoice.compute(EUR, List.of(line(LineKind.PRORATION, -1000), line(LineKind.PRORATION, 500)),
                Discount.percentage("50"), TaxBehavior.EXCLUSIVE, GERMANY);
        assertThat(order.discount().isZero()).isTrue();
        assertThat(order.tax()).isEqualTo(Money.of(-95, "EUR"));
        assertThat(order.total()).isEqualTo(Money.of(-595, "EUR"));
    }

    @Test
    void anOrderHasOneCurrency() {
        InvoiceLine dollars = new InvoiceLine("Pro", LineKind.FIXED, APRIL, BigDecimal.ONE, "seat", Money.of(2900, "USD"));
        assertThatThrownBy(() -> Invoice.compute(EUR, List.of(line(LineKind.FIXED, 100), dollars), null,
                TaxBehavior.EXCLUSIVE, GERMANY))
                .hasMessage("lines[1].amount: is in USD but the order is in EUR; an order has one currency");
        assertThatThrownBy(() -> Invoice.compute(EUR, List.of(line(LineKind.FIXED, 100)),
                Discount.fixedAmount(Money.of(100, "USD")), TaxBehavior.EXCLUSIVE, GERMANY))
                .hasMessage("discount.amount: is in USD but the order is in EUR");
    }

    @Test
    void onlyAProrationMayBeNegative() {
        assertThatThrownBy(() -> line(LineKind.METERED, -1))
                .hasMessage("amount: only a proration may be negative, a metered line was -0.01 EUR");
        assertThatThrownBy(() -> new InvoiceLine("Setup", LineKind.FIXED, null, BigDecimal.ONE, null, Money.of(1, "EUR")))
                .hasMessage("period: is required for a fixed line");
        assertThat(new InvoiceLine("Setup", LineKind.ONE_TIME, null, BigDecimal.ONE, null, Money.of(1, "EUR")).unit())
                .isEqualTo("unit");
    }

    @Test
    void aDiscountIsAPercentageUpToAHundredOrAnAmount() {
        assertThatThrownBy(() -> Discount.percentage("120")).hasMessageStartingWith("discount.percent: must be above 0");
        assertThatThrownBy(() -> Discount.percentage("0")).hasMessage("discount.percent: must be greater than zero, got 0");
        assertThatThrownBy(() -> Discount.fixedAmount(Money.of(-5, "EUR")))
                .hasMessage("discount.amount: must not be negative, got -5");
    }

    // ---- properties ------------------------------------------------------------------------

    @Property
    void totalsAddUpToTheCent(@ForAll("lines") List<InvoiceLine> lines, @ForAll("discounts") Discount discount,
                              @ForAll TaxBehavior behavior) {
        Invoice order = Invoice.compute(EUR, lines, discount, behavior, GERMANY);
        long subtotal = lines.stream().mapToLong(l -> l.amount().minorUnits()).sum();
        assertThat(order.subtotal().minorUnits()).isEqualTo(subtotal);
        assertThat(order.discount().minorUnits()).isBetween(0L, Math.max(0, subtotal));
        assertThat(order.lines().stream().mapToLong(l -> l.discount().minorUnits()).sum())
                .isEqualTo(order.discount().minorUnits());
        assertThat(order.net().plus(order.tax())).isEqualTo(order.total());
        long afterDiscount = subtotal - order.discount().minorUnits();
        long expectedTotal = behavior == TaxBehavior.EXCLUSIVE ? afterDiscount + order.tax().minorUnits() : afterDiscount;
        assertThat(order.total().minorUnits()).isEqualTo(expectedTotal);
        for (TaxedLine line : order.lines()) {
            if (line.line().kind() != LineKind.PRORATION) {
                assertThat(line.net().isNegative()).as("a charge never turns into a credit").isFalse();
            }
        }
    }

    @Provide
    Arbitrary<List<InvoiceLine>> lines() {
        Arbitrary<InvoiceLine> charge = Arbitraries.longs().between(0, 1_000_000).map(a -> line(LineKind.METERED, a));
        Arbitrary<InvoiceLine> credit = Arbitraries.longs().between(-1_000_000, 1_000_000)
                .map(a -> line(LineKind.PRORATION, a));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, charge), net.jqwik.api.Tuple.of(1, credit))
                .list().ofMaxSize(8).map(ArrayList::new);
    }

    @Provide
    Arbitrary<Discount> discounts() {
        return Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(new BigDecimal("0.01"), new BigDecimal("100")).ofScale(2)
                        .map(Discount.Percentage::new),
                Arbitraries.longs().between(0, 2_000_000).map(a -> Discount.fixedAmount(Money.of(a, "EUR"))));
    }

    private static InvoiceLine line(LineKind kind, long cents) {
        return new InvoiceLine(kind.wireName() + " line", kind, APRIL, BigDecimal.ONE, "unit", Money.of(cents, "EUR"));
    }
}
