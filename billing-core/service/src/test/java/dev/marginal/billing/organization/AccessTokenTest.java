package dev.marginal.billing.organization;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessTokenTest {

    @Test
    void tokensAreMglOatFollowedByFortyThreeUrlSafeCharacters() {
        AccessToken token = AccessToken.issue();

        assertThat(token.plaintext()).matches("mgl_oat_[A-Za-z0-9_-]{43}");
        assertThat(AccessToken.looksLikeToken(token.plaintext())).isTrue();
    }

    @Test
    void onlyTheSha256OfATokenIsKept() {
        AccessToken token = AccessToken.issue();

        assertThat(token.hash()).hasSize(32).isEqualTo(AccessToken.sha256(token.plaintext()));
        assertThat(token.toString()).doesNotContain(token.plaintext());
    }

    @Test
    void everyTokenIsFresh() {
        assertThat(AccessToken.issue().plaintext()).isNotEqualTo(AccessToken.issue().plaintext());
    }
}
