package dev.marginal.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The secrets behind Trino's authentication, all under {@code $MARGINAL_HOME/trino}: a self-signed
 * TLS certificate for the client port ({@code tls/}), the shared secret of internal communication,
 * one password per user ({@code passwords/<user>}, mode 0600) and Trino's password file
 * ({@code etc/password.db}, PBKDF2 hashes of those passwords), which Trino re-reads while running.
 *
 * <p>The platform user and the finance user exist from the first start; analysts are added at run
 * time ({@code bin/marginal analyst}). Which organisation an analyst sees is data in
 * {@code marginal.access.analysts}, not configuration (docs/warehouse.md).
 */
public final class TrinoSecurity {

    public static final String PLATFORM_USER = "platform";
    public static final String FINANCE_USER = "finance";
    /** Trino user names we create: lower case, digits, '-', '_', '.'; no ':' (the password file's separator). */
    static final Pattern USER_NAME = Pattern.compile("[a-z][a-z0-9._-]{0,62}");
    // Trino accepts PBKDF2WithHmacSHA1 with at least 1,000 iterations; it caches verified logins.
    private static final int PBKDF2_ITERATIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StackConfig config;

    public TrinoSecurity(StackConfig config) {
        this.config = config;
    }

    Path trinoHome() {
        return config.home().resolve("trino");
    }

    Path keystore() {
        return trinoHome().resolve("tls/keystore.p12");
    }

    String keystorePassword() {
        return secret(trinoHome().resolve("tls/keystore.password"));
    }

    String sharedSecret() {
        return secret(trinoHome().resolve("shared-secret"));
    }

    Path passwordDb() {
        return trinoHome().resolve("etc/password.db");
    }

    /** Everything Trino needs before it starts; idempotent, keeps existing secrets. */
    void prepare(Path java) {
        ensureCertificate(java);
        password(PLATFORM_USER);
        password(FINANCE_USER);
        writePasswordDb();
    }

    /** The user's password, created (random) on first use. */
    public String password(String user) {
        requireUserName(user);
        return secret(config.trinoPasswordFile(user));
    }

    public Optional<String> existingPassword(String user) {
        Path file = config.trinoPasswordFile(user);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a user (or keeps its password) and rewrites the password file Trino re-reads. */
    public String addUser(String user) {
        String password = password(user);
        writePasswordDb();
        return password;
    }

    static void requireUserName(String user) {
        if (!USER_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("Trino user names are lower case letters, digits, '.', '_' or '-', starting with a letter: '" + user + "'");
        }
    }

    /** Rewrites etc/password.db from passwords/ in one rename, so Trino never reads half a file. */
    void writePasswordDb() {
        Path dir = config.trinoPasswordFile(PLATFORM_USER).getParent();
        List<String> lines = new ArrayList<>();
        try (Stream<Path> users = Files.list(dir)) {
            for (Path file : users.sorted().toList()) {
                String user = file.getFileName().toString();
                lines.add(user + ":" + pbkdf2(Files.readString(file).trim()));
            }
            Files.createDirectories(passwordDb().getParent());
            Path temporary = passwordDb().resolveSibling("password.db.tmp");
            Files.write(temporary, lines);
            Files.move(temporary, passwordDb(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Trino's password file " + passwordDb(), e);
        }
    }

    /** Trino's PBKDF2 form: {@code iterations:salt:hash}, lower-case hex. */
    static String pbkdf2(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        try {
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, PBKDF2_ITERATIONS, 256))
                    .getEncoded();
            HexFormat hex = HexFormat.of();
            return PBKDF2_ITERATIONS + ":" + hex.formatHex(salt) + ":" + hex.formatHex(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A self-signed certificate for 127.0.0.1 and localhost, made once with the JDK's keytool; its
     * PEM copy is what clients trust. Loopback only: a deployment brings its own certificate.
     */
    private void ensureCertificate(Path java) {
        Path pem = config.trinoCertificate();
        if (Files.isRegularFile(keystore()) && Files.isRegularFile(pem)) {
            return;
        }
        Path keytool = java.resolveSibling("keytool");
        String storePassword = keystorePassword();
        try {
            Files.deleteIfExists(keystore());
            Files.deleteIfExists(pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.runOrFail(List.of(keytool.toString(), "-genkeypair", "-alias", "trino", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "3650", "-dname", "CN=localhost, O=Marginal local stack",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore().toString(), "-storepass", storePassword, "-keypass", storePassword), trinoHome(), 60);
        Commands.runOrFail(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "trino",
                "-keystore", keystore().toString(), "-storepass", storePassword, "-file", pem.toString()), trinoHome(), 60);
    }

    private static String secret(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String existing = Files.readString(file).trim();
                if (!existing.isEmpty()) {
                    return existing;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String fresh = HexFormat.of().formatHex(bytes);
        Bootstrap.writeSecret(file, fresh);
        return fresh;
    }
}
