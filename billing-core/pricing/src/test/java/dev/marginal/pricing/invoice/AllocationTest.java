package dev.marginal.pricing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AllocationTest {

    @Test
    void aDollarOverThreeEqualLinesGivesTheSpareCentToTheFirst() {
        // 100 / 3 = 33.33 each: floors 33 + 33 + 33 = 99, the one left over to the first line.
        assertThat(Allocation.proportional(100, new long[] {1, 1, 1})).containsExactly(34, 33, 33);
    }

    @Test
    void nothingToSplitOverNothingIsFineSomethingIsNot() {
        assertThat(Allocation.proportional(0, new long[] {0, 0})).containsExactly(0, 0);
        assertThatThrownBy(() -> Allocation.proportional(5, new long[] {0, 0}))
                .hasMessage("weights: cannot split 5 over weights that sum to zero");
    }

    @Property
    void partsSumToTheWholeAndStayWithinACentOfTheirShare(@ForAll @LongRange(min = 0, max = 10_000_000) long total,
            @ForAll @Size(min = 1, max = 10) List<@LongRange(min = 0, max = 10_000_000) Long> weights) {
        long[] w = weights.stream().mapToLong(Long::longValue).toArray();
        long sum = Arrays.stream(w).sum();
        if (sum == 0) {
            return;
        }
        long[] parts = Allocation.proportional(total, w);
        assertThat(Arrays.stream(parts).sum()).isEqualTo(total);
        for (int i = 0; i < w.length; i++) {
            BigDecimal share = BigDecimal.valueOf(total).multiply(BigDecimal.valueOf(w[i]))
                    .divide(BigDecimal.valueOf(sum), MathContext.DECIMAL128);
            assertThat(BigDecimal.valueOf(parts[i]).subtract(share).abs()).isLessThan(BigDecimal.ONE);
        }
    }
}
