package dev.marginal.pricing.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.marginal.pricing.PricingInputException;

class TaxBehaviorOptionTest {

    @Test
    void locationIncludesVatAndAddsSalesTax() {
        assertThat(TaxBehaviorOption.LOCATION.resolve(true)).isEqualTo(TaxBehavior.INCLUSIVE);
        assertThat(TaxBehaviorOption.LOCATION.resolve(false)).isEqualTo(TaxBehavior.EXCLUSIVE);
    }

    @Test
    void aFixedChoiceIgnoresTheMarket() {
        assertThat(TaxBehaviorOption.INCLUSIVE.resolve(false)).isEqualTo(TaxBehavior.INCLUSIVE);
        assertThat(TaxBehaviorOption.EXCLUSIVE.resolve(true)).isEqualTo(TaxBehavior.EXCLUSIVE);
    }

    @Test
    void wireNamesArePolars() {
        assertThat(TaxBehaviorOption.fromWire("location")).isEqualTo(TaxBehaviorOption.LOCATION);
        assertThat(TaxBehaviorOption.EXCLUSIVE.wireName()).isEqualTo("exclusive");
        assertThatThrownBy(() -> TaxBehaviorOption.fromWire("unspecified"))
                .isInstanceOf(PricingInputException.class).hasMessageContaining("tax_behavior");
    }
}
