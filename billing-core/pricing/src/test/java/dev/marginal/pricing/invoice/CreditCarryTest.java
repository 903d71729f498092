package dev.marginal.pricing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.period.ServicePeriod;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CreditCarryTest {

    private static final ServicePeriod APRIL = new ServicePeriod(Instant.parse("2025-04-16T00:00:00Z"),
            Instant.parse("2025-05-01T00:00:00Z"));

    private static InvoiceLine proration(String description, long cents) {
        return new InvoiceLine(description, LineKind.PRORATION, APRIL, BigDecimal.ONE, "unit", Money.of(cents, "USD"));
    }

    @Test
    void aDowngradesCreditBeyondTheChargeWaitsForTheNextInvoice() {
        // $99 → $29 halfway: credit −4,950, charge +1,450. Billed now: −1,450 + 1,450 = 0; carried −3,500.
        CreditCarry.Split split = CreditCarry.apply(List.of(proration("Unused time on Team", -4950),
                proration("Remaining time on Basic", 1450)));
        assertThat(split.billedLines()).extracting(l -> l.amount().minorUnits()).containsExactly(-1450L, 1450L);
        assertThat(split.carriedLines()).extracting(l -> l.amount().minorUnits()).containsExactly(-3500L);
        assertThat(split.carried().get(0).source()).isZero();
        assertThat(split.carriedLines().get(0).description()).isEqualTo("Unused time on Team");
        assertThat(split.carriedLines().get(0).period()).isEqualTo(APRIL);
    }

    @Test
    void anUpgradeIsBilledWhole() {
        List<InvoiceLine> lines = List.of(proration("Unused time on Basic", -1450), proration("Remaining time on Team", 4950));
        assertThat(CreditCarry.apply(lines).billedLines()).isEqualTo(lines);
        assertThat(CreditCarry.apply(lines).carried()).isEmpty();
    }

    @Test
    void aCreditWithNothingBesideItIsCarriedWhole() {
        CreditCarry.Split split = CreditCarry.apply(List.of(proration("Unused time on Team", -4950)));
        assertThat(split.billedLines()).isEmpty();
        assertThat(split.carriedLines()).extracting(l -> l.amount().minorUnits()).containsExactly(-4950L);
    }

    @Property
    void everyCentLandsOnExactlyOneOrderAndNothingBilledIsNegative(
            @ForAll @Size(min = 1, max = 8) List<@LongRange(min = -100_000, max = 100_000) Long> amounts) {
        List<InvoiceLine> lines = new ArrayList<>();
        long sum = 0;
        for (long amount : amounts) {
            lines.add(proration("line", amount));
            sum += amount;
        }
        CreditCarry.Split split = CreditCarry.apply(lines);
        long billed = split.billedLines().stream().mapToLong(l -> l.amount().minorUnits()).sum();
        long carried = split.carriedLines().stream().mapToLong(l -> l.amount().minorUnits()).sum();
        assertThat(billed + carried).isEqualTo(sum);
        assertThat(billed).isEqualTo(Math.max(0, sum));
        assertThat(split.carriedLines()).allMatch(l -> l.amount().isNegative());
    }
}
