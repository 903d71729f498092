package dev.marginal.warehouse.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The platform's side of the analyst mapping {@code marginal.access.analysts}, which Trino's row
 * filters read (trino/rules.json): an analyst user reads the rows of the organisations listed for it.
 */
public final class Analysts {

    private Analysts() {}

    /**
     * Lets {@code user} read {@code organizationId}'s rows, and only those: any earlier mapping of
     * the user is replaced. Needs a connection as the platform user.
     */
    public static void assign(Connection platform, String user, String organizationId) throws SQLException {
        try (PreparedStatement delete = platform.prepareStatement("DELETE FROM marginal.access.analysts WHERE user_name = ?");
             PreparedStatement insert = platform.prepareStatement(
                     "INSERT INTO marginal.access.analysts (user_name, organization_id) VALUES (?, ?)")) {
            delete.setString(1, user);
            delete.executeUpdate();
            insert.setString(1, user);
            insert.setString(2, organizationId);
            insert.executeUpdate();
        }
    }
}
