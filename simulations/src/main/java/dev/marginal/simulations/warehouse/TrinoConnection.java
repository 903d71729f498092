package dev.marginal.simulations.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * How the CLI reaches Trino, as {@code bin/marginal sql} does: HTTPS on {@code MARGINAL_TRINO_PORT}
 * trusting the stack's certificate, as {@code MARGINAL_SQL_USER} (default {@code platform}, who may
 * write {@code marginal.simulations}) with {@code TRINO_PASSWORD} or the password the stack keeps
 * in {@code $MARGINAL_HOME/trino/passwords/<user>}. {@code MARGINAL_TRINO_URL} overrides the URL
 * (a Trino cluster).
 */
public record TrinoConnection(String url, String user, String password) {

    public static TrinoConnection fromEnvironment(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("MARGINAL_HOME", ".marginal"));
        String port = env.getOrDefault("MARGINAL_TRINO_PORT", "8088");
        String url = env.getOrDefault("MARGINAL_TRINO_URL", "jdbc:trino://127.0.0.1:" + port + "/marginal?SSL=true"
                + "&SSLTrustStorePath=" + home.resolve("trino/tls/trino.pem").toAbsolutePath());
        String user = env.getOrDefault("MARGINAL_SQL_USER", "platform");
        String password = env.get("TRINO_PASSWORD");
        if (password == null) {
            Path file = home.resolve("trino/passwords").resolve(user);
            if (Files.isReadable(file)) {
                try {
                    password = Files.readString(file).strip();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new TrinoConnection(url, user, password);
    }

    public Connection open() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public String toString() {
        return "TrinoConnection[" + url + " as " + user + "]";   // never the password
    }
}
