package dev.marginal.billing.organization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * An organisation access token, {@code mgl_oat_} + 43 URL-safe characters (256 random bits).
 * The plaintext is shown once, at issue; only its SHA-256 is stored, so a database leak
 * leaks no usable token. A fast hash suffices because the input has full entropy.
 */
public record AccessToken(String plaintext, byte[] hash) {

    public static final String PREFIX = "mgl_oat_";
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static AccessToken issue() {
        byte[] secret = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(secret);
        String plaintext = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new AccessToken(plaintext, sha256(plaintext));
    }

    /** Whether a presented value could be one of ours; saves a database round trip for junk. */
    public static boolean looksLikeToken(String presented) {
        return presented.startsWith(PREFIX) && presented.length() == PREFIX.length() + 43;
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AccessToken[" + PREFIX + "…]";
    }
}
