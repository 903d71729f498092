package dev.marginal.reports;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The organisations a report can be for: billing-core's {@code organizations} table, the source of
 * truth, read over MARGINAL_DB_URL. An organisation with no figures on a date still gets a report
 * (of zeros); an id or slug billing-core does not know is an error, not an empty report.
 */
final class Organizations {

    private final String url;
    private final String user;
    private final String password;

    Organizations(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    List<Organization> all() throws SQLException {
        return query("SELECT id::text, slug, name FROM organizations ORDER BY slug", null);
    }

    /** The organisation with this id or slug; empty when there is none. */
    List<Organization> byIdOrSlug(String idOrSlug) throws SQLException {
        return query("SELECT id::text, slug, name FROM organizations WHERE id::text = ? OR slug = ?", idOrSlug);
    }

    private List<Organization> query(String sql, String idOrSlug) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, password);
             PreparedStatement statement = db.prepareStatement(sql)) {
            if (idOrSlug != null) {
                statement.setString(1, idOrSlug);
                statement.setString(2, idOrSlug);
            }
            List<Organization> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Organization(rows.getString(1), rows.getString(2), rows.getString(3)));
                }
            }
            return found;
        }
    }
}
