package dev.marginal.pricing.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.PricingInputException;

class RefundSplitTest {

    private static Money usd(long cents) {
        return Money.of(cents, "usd");
    }

    @Test
    void aPartialRefundReturnsItsShareOfTheTax() {
        // $100.00 net + 20 % VAT $20.00; refund $33.33 → 3,333 × 2,000 / 10,000 = 666.6 → 667¢ tax
        RefundSplit split = RefundSplit.of(usd(10_000), usd(2_000), usd(0), usd(0), usd(3_333));
        assertThat(split.tax()).isEqualTo(usd(667));
        assertThat(split.total()).isEqualTo(usd(4_000));
    }

    @Test
    void theLastRefundReturnsTheLastOfTheTax() {
        // after 3,333 + 667 and 3,333 + 667 refunded, the last 3,334 takes the remaining 2,000 − 1,334 = 666
        RefundSplit last = RefundSplit.of(usd(10_000), usd(2_000), usd(6_666), usd(1_334), usd(3_334));
        assertThat(last.tax()).isEqualTo(usd(666));
    }

    @Test
    void withoutTaxTheRefundIsTheAmount() {
        RefundSplit split = RefundSplit.of(usd(2_900), usd(0), usd(0), usd(0), usd(1_000));
        assertThat(split.tax()).isEqualTo(usd(0));
        assertThat(split.total()).isEqualTo(usd(1_000));
    }

    @Test
    void refundNeverExceedsWhatIsLeftOfThePayment() {
        assertThatThrownBy(() -> RefundSplit.of(usd(2_900), usd(0), usd(2_000), usd(0), usd(901)))
                .isInstanceOf(RefundSplit.RefundExceedsPayment.class)
                .hasMessage("the refund of 901 exceeds the 900 left to refund");
        assertThatThrownBy(() -> RefundSplit.of(usd(2_900), usd(0), usd(0), usd(0), usd(0)))
                .isInstanceOf(PricingInputException.class).hasMessageContaining("amount: must be greater than 0");
        assertThatThrownBy(() -> RefundSplit.of(usd(2_900), usd(0), usd(0), usd(0), usd(-1)))
                .isInstanceOf(PricingInputException.class);
    }

    /** However an order is refunded in pieces, the pieces return exactly its net and its tax. */
    @Property
    void refundsInPiecesAddUpToWhatWasCharged(@ForAll @LongRange(min = 1, max = 10_000_000) long net,
            @ForAll @LongRange(min = 0, max = 2_500) long taxPerMille,
            @ForAll @Size(min = 1, max = 12) List<@LongRange(min = 1, max = 1_000) Long> weights) {
        long tax = net * taxPerMille / 1_000;
        long refunded = 0;
        long refundedTax = 0;
        long weightLeft = weights.stream().mapToLong(Long::longValue).sum();
        for (long weight : weights) {
            long left = net - refunded;
            long amount = weightLeft == weight ? left : Math.max(1, Math.min(left, left * weight / weightLeft));
            weightLeft -= weight;
            if (amount == 0 || left == 0) {
                break;
            }
            RefundSplit split = RefundSplit.of(usd(net), usd(tax), usd(refunded), usd(refundedTax), usd(amount));
            refunded += split.amount().minorUnits();
            refundedTax += split.tax().minorUnits();
            assertThat(refundedTax).isLessThanOrEqualTo(tax);
        }
        assertThat(refunded).isEqualTo(net);
        assertThat(refundedTax).isEqualTo(tax);
    }
}
