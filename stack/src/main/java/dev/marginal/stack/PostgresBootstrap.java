package dev.marginal.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * What the stack's PostgreSQL holds before any service starts: role {@code marginal}, database
 * {@code marginal} (billing-core; Flyway owns its schema) and database {@code marginal_catalog} with
 * the Iceberg JDBC catalog tables. Every step is idempotent; it runs at every start.
 */
final class PostgresBootstrap {

    static final String SUPERUSER = "postgres";

    /**
     * Iceberg's JdbcCatalog schema V1 (org.apache.iceberg.jdbc.JdbcUtil: V0_CREATE_CATALOG_SQL plus
     * V1_UPDATE_CATALOG_SQL's iceberg_type column, and CREATE_NAMESPACE_PROPERTIES_TABLE_SQL). Trino does
     * not create these tables, and whoever connects first (Trino or Flink) must find them.
     */
    static final List<String> ICEBERG_CATALOG_DDL = List.of(
            """
            CREATE TABLE IF NOT EXISTS iceberg_tables (
              catalog_name VARCHAR(255) NOT NULL,
              table_namespace VARCHAR(255) NOT NULL,
              table_name VARCHAR(255) NOT NULL,
              metadata_location VARCHAR(1000),
              previous_metadata_location VARCHAR(1000),
              iceberg_type VARCHAR(5),
              PRIMARY KEY (catalog_name, table_namespace, table_name))""",
            """
            CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
              catalog_name VARCHAR(255) NOT NULL,
              namespace VARCHAR(255) NOT NULL,
              property_key VARCHAR(255),
              property_value VARCHAR(1000),
              PRIMARY KEY (catalog_name, namespace, property_key))""");

    private PostgresBootstrap() {}

    static void apply(int port) throws SQLException {
        try (Connection admin = connect(port, "postgres", SUPERUSER);
             Statement sql = admin.createStatement()) {
            sql.execute("""
                    DO $$ BEGIN
                      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN
                        CREATE ROLE %1$s LOGIN REPLICATION CREATEDB PASSWORD '%2$s';
                      END IF;
                    END $$""".formatted(StackConfig.DB_USER, StackConfig.DB_PASSWORD));
            for (String database : List.of(StackConfig.BILLING_DB, StackConfig.CATALOG_DB)) {
                if (!databaseExists(admin, database)) {
                    sql.execute("CREATE DATABASE " + database + " OWNER " + StackConfig.DB_USER);
                }
            }
        }
        try (Connection catalog = connect(port, StackConfig.CATALOG_DB, StackConfig.DB_USER);
             Statement sql = catalog.createStatement()) {
            for (String ddl : ICEBERG_CATALOG_DDL) {
                sql.execute(ddl);
            }
        }
    }

    private static boolean databaseExists(Connection admin, String database) throws SQLException {
        try (PreparedStatement query = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    static Connection connect(int port, String database, String user) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", user.equals(StackConfig.DB_USER) ? StackConfig.DB_PASSWORD : "");
        props.setProperty("connectTimeout", "3");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }
}
