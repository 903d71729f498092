package dev.marginal.billing.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.api.Test;

class ViolationsTest {

    @Test
    void theDetailNamesTheFirstBadFieldAndCountsTheRest() {
        Violations violations = new Violations();
        for (int i = 0; i < 150; i++) {
            violations.add(List.of("body", "events", i, "name"), "Field required", "missing");
        }

        ApiException e = catchThrowableOfType(ApiException.class, violations::throwIfAny);

        assertThat(e.type()).isEqualTo(ProblemType.VALIDATION_ERROR);
        assertThat(e.getMessage()).isEqualTo(
                "events[0].name: Field required (and 149 more errors; the first 100 are listed)");
        assertThat(e.errors()).hasSize(Violations.MAX_REPORTED);
    }

    @Test
    void everyProblemTypeHasItsOwnUri() {
        assertThat(ProblemType.VALIDATION_ERROR.uri()).isEqualTo("https://marginal.dev/problems/validation-error");
        assertThat(java.util.Arrays.stream(ProblemType.values()).map(ProblemType::uri).distinct())
                .hasSize(ProblemType.values().length);
        assertThat(ProblemType.forStatus(422)).isEqualTo(ProblemType.VALIDATION_ERROR);
        assertThat(ProblemType.forStatus(418)).isEqualTo(ProblemType.BAD_REQUEST);
    }
}
