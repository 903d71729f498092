package dev.marginal.warehouse.maintenance;

/** An Iceberg table of catalog {@code marginal}, as information_schema names it. */
public record TableName(String schema, String table) {

    /** Quoted for SQL text: identifiers come from information_schema, quotes are doubled anyway. */
    public String sql() {
        return "marginal." + quote(schema) + "." + quote(table);
    }

    /** A metadata table such as {@code $files} or {@code $snapshots}. */
    public String metadataSql(String suffix) {
        return "marginal." + quote(schema) + "." + quote(table + "$" + suffix);
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
