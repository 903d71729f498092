package dev.marginal.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class MoneyTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency JPY = Currency.getInstance("JPY");

    @Test
    void majorUnitsFollowTheCurrencyScale() {
        assertThat(Money.of(1234, "usd").toMajor()).isEqualByComparingTo("12.34");
        assertThat(Money.of(1234, "JPY").toMajor()).isEqualByComparingTo("1234");
    }

    @Test
    void subCentCostsRoundHalfEven() {
        // 0.5 cent rounds to the even neighbour 0, 1.5 cents to 2, 2.5 cents to 2.
        assertThat(Money.ofMinor(new BigDecimal("0.5"), USD).minorUnits()).isZero();
        assertThat(Money.ofMinor(new BigDecimal("1.5"), USD).minorUnits()).isEqualTo(2);
        assertThat(Money.ofMinor(new BigDecimal("2.5"), USD).minorUnits()).isEqualTo(2);
        // $0.125 = 12.5 cents -> 12 cents; ¥100.5 -> ¥100.
        assertThat(Money.ofMajor(new BigDecimal("0.125"), USD).minorUnits()).isEqualTo(12);
        assertThat(Money.ofMajor(new BigDecimal("100.5"), JPY).minorUnits()).isEqualTo(100);
    }

    @Test
    void dollarsAndEurosNeverAddUp() {
        assertThatThrownBy(() -> Money.of(100, "USD").plus(Money.of(100, "EUR")))
                .isInstanceOf(Money.CurrencyMismatchException.class)
                .hasMessageContaining("USD vs EUR");
    }

    @Test
    void unknownCurrencyIsRejected() {
        assertThatThrownBy(() -> Money.currency("XYZ1")).hasMessageContaining("unknown currency: XYZ1");
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, "USD").plus(Money.of(1, "USD")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Property
    void majorRoundTripIsExact(@ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long cents) {
        Money money = new Money(cents, USD);
        assertThat(Money.ofMajor(money.toMajor(), USD)).isEqualTo(money);
    }

    @Property
    void subtractionUndoesAddition(@ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long a,
                                   @ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long b) {
        Money x = new Money(a, USD);
        Money y = new Money(b, USD);
        assertThat(x.plus(y).minus(y)).isEqualTo(x);
    }
}
