package dev.marginal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AmountTest {

    @Test
    void warehouseDecimalsBecomeCentsHalfEvenOnce() {
        // 12.345 dollars = 1234.5 cents → 1234 (even); 87.655 → 8765.5 → 8766 (even).
        assertThat(Amount.ofMajor(new BigDecimal("12.345000000000"), "usd")).isEqualTo(new Amount(1234, "usd", "$12.34"));
        assertThat(Amount.ofMajor(new BigDecimal("87.655"), "USD")).isEqualTo(new Amount(8766, "usd", "$87.66"));
        assertThat(Amount.ofMajor(new BigDecimal("0.000000000001"), "usd").minor()).isZero();
    }

    @Test
    void textGroupsThousandsAndPutsTheSignBeforeTheSymbol() {
        assertThat(Amount.ofMajor(new BigDecimal("1234567.8"), "usd").text()).isEqualTo("$1,234,567.80");
        assertThat(Amount.ofMajor(new BigDecimal("-15.5"), "usd").text()).isEqualTo("-$15.50");
        assertThat(Amount.ofMajor(new BigDecimal("-0.4"), "eur").text()).isEqualTo("-€0.40");
        assertThat(Amount.ofMajor(new BigDecimal("1500"), "jpy")).isEqualTo(new Amount(1500, "jpy", "¥1,500"));
        assertThat(Amount.ofMajor(new BigDecimal("9.999"), "chf").text()).isEqualTo("CHF 10.00");
        assertThat(Amount.ofMajor(null, "usd")).isEqualTo(new Amount(0, "usd", "$0.00"));
    }

    @Test
    void anUnknownCurrencyIsRefusedNotGuessed() {
        assertThatThrownBy(() -> Amount.ofMajor(BigDecimal.ONE, "xx1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown currency");
    }

    @Test
    void marginPercentIsATenthOfAPercentHalfEvenAndAbsentWithoutRevenue() {
        assertThat(Percent.of(13816, 20000)).contains("69.1%");
        assertThat(Percent.of(-1184, 1000)).contains("-118.4%");
        assertThat(Percent.of(1, 8)).contains("12.5%");
        assertThat(Percent.of(5, 0)).isEmpty();
    }
}
