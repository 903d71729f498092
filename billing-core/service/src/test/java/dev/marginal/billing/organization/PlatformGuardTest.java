package dev.marginal.billing.organization;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.problem.ApiException;

class PlatformGuardTest {

    private final PlatformGuard guard = new PlatformGuard(new PlatformProperties("s3cret-platform"));

    @Test
    void thePlatformTokenOpensThePlatformRoutes() {
        assertThatCode(() -> guard.check("Bearer s3cret-platform")).doesNotThrowAnyException();
        assertThatCode(() -> guard.check("bearer s3cret-platform")).doesNotThrowAnyException();
    }

    @Test
    void anyOtherCredentialIsUnauthorized() {
        for (String authorization : new String[] {null, "", "Bearer", "Bearer s3cret-platfor", "Basic s3cret-platform",
                "s3cret-platform"}) {
            assertThatThrownBy(() -> guard.check(authorization)).as(authorization).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void withoutAConfiguredTokenThePlatformRoutesAreClosed() {
        PlatformGuard closed = new PlatformGuard(new PlatformProperties(""));

        assertThatThrownBy(() -> closed.check("Bearer ")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> closed.check("Bearer anything")).isInstanceOf(ApiException.class);
    }
}
