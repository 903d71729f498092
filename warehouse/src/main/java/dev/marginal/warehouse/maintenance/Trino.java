package dev.marginal.warehouse.maintenance;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a connection to Trino as a user allowed to maintain tables (the platform user). */
@FunctionalInterface
public interface Trino {
    Connection open() throws SQLException;
}
