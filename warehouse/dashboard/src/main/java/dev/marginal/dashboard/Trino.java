package dev.marginal.dashboard;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Trino's client endpoint as the dashboard reaches it: a JDBC URL (HTTPS, trusting the stack's
 * certificate, e.g. {@code jdbc:trino://127.0.0.1:8088/marginal?SSL=true&SSLTrustStorePath=…}) and
 * the logged-in user's own credentials for every connection.
 */
record Trino(String jdbcUrl) {

    Connection connect(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("source", "marginal-dashboard");
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** Trino answers a bad password with HTTP 401, which its driver reports in the message. */
    static boolean isAuthenticationFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("401") || message.contains("Authentication failed") || message.contains("Unauthorized")) {
                return true;
            }
        }
        return false;
    }
}
