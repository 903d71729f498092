package dev.marginal.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The secrets a fresh local stack needs: the platform token that guards billing-core's
 * {@code /v1/platform/...} routes, and the access token of a "demo" organisation created through
 * them. Both are kept in {@code $MARGINAL_HOME}, readable by the owner only, and reused by later runs.
 */
public final class Bootstrap {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Bootstrap() {}

    /** The platform token of this home, generated at the first call. */
    public static String platformToken(StackConfig config) {
        return generatedOnce(config.platformTokenFile(), "mgl_pt_");
    }

    /**
     * The key billing-core signs its invoice links with, generated at the first call and kept in the
     * home, so a link handed to a customer still opens after a restart.
     */
    public static String invoiceSigningSecret(StackConfig config) {
        return generatedOnce(config.invoiceSigningSecretFile(), "");
    }

    /** The invoice signing key if this home has one already. */
    public static Optional<String> existingInvoiceSigningSecret(StackConfig config) {
        return readToken(config.invoiceSigningSecretFile());
    }

    private static String generatedOnce(Path file, String prefix) {
        return readToken(file).orElseGet(() -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            writeSecret(file, secret);
            return secret;
        });
    }

    /** The platform token if this home has one already. */
    public static Optional<String> existingPlatformToken(StackConfig config) {
        return readToken(config.platformTokenFile());
    }

    /** The demo organisation's access token, if it was created. */
    public static Optional<String> demoToken(StackConfig config) {
        return readToken(config.demoTokenFile());
    }

    /** Creates organisation "demo" in billing-core unless this home already has its token. */
    public static String ensureDemoOrganisation(StackConfig config, String platformToken) {
        Optional<String> existing = demoToken(config);
        if (existing.isPresent()) {
            return existing.get();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.billingUrl() + "/v1/platform/organizations"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + platformToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Demo\",\"slug\":\"demo\"}"))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new StackException("creating the demo organisation failed: POST /v1/platform/organizations answered "
                        + response.statusCode() + ": " + response.body()
                        + (response.statusCode() == 409 ? "\n(it exists but " + config.demoTokenFile()
                        + " is gone; reset with `bin/marginal down` and deleting " + config.home() + ")" : ""));
            }
            JsonNode body = JSON.readTree(response.body());
            String token = body.path("token").asText("");
            if (token.isEmpty()) {
                throw new StackException("billing-core created the demo organisation but returned no token: " + response.body());
            }
            writeSecret(config.demoTokenFile(), token);
            return token;
        } catch (IOException e) {
            throw new StackException("could not reach billing-core at " + config.billingUrl() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating the demo organisation", e);
        }
    }

    private static Optional<String> readToken(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).trim()).filter(t -> !t.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code secret} to a file created with mode 0600, so it is never readable by others, even briefly. */
    static void writeSecret(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
