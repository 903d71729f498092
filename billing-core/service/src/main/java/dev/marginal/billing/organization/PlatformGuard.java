package dev.marginal.billing.organization;

import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.marginal.billing.audit.Actor;
import dev.marginal.billing.problem.ApiException;

/** Guards the operator-only routes with the platform token. */
@Component
public class PlatformGuard {

    private static final Logger log = LoggerFactory.getLogger(PlatformGuard.class);

    private final byte[] expectedHash;

    public PlatformGuard(PlatformProperties properties) {
        String token = properties.token();
        this.expectedHash = token == null || token.isBlank() ? null : AccessToken.sha256(token);
        if (expectedHash == null) {
            log.warn("MARGINAL_PLATFORM_TOKEN is not set: /v1/platform routes answer 401 to everyone");
        }
    }

    /**
     * Compares digests with {@link MessageDigest#isEqual}: constant time, and equal-length inputs,
     * so neither the content nor the length of the platform token leaks through timing.
     */
    public void check(String authorization) {
        String presented = authorization == null ? "" : authorization.strip();
        if (presented.regionMatches(true, 0, "bearer ", 0, 7)) {
            presented = presented.substring(7).strip();
        } else {
            presented = "";
        }
        boolean valid = expectedHash != null && !presented.isEmpty()
                && MessageDigest.isEqual(expectedHash, AccessToken.sha256(presented));
        if (!valid) {
            throw ApiException.unauthorized("A valid platform token is required.");
        }
        Actor.authenticated(Actor.PLATFORM);
    }
}
