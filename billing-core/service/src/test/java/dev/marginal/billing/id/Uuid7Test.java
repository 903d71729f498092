package dev.marginal.billing.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class Uuid7Test {

    @Test
    void idsAreVersionSevenAndOrderedByTime() {
        UUID earlier = Uuid7.at(1_700_000_000_000L);
        UUID later = Uuid7.at(1_700_000_000_001L);

        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(earlier.toString()).isLessThan(later.toString());
        assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
    }
}
