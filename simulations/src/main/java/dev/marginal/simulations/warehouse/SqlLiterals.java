package dev.marginal.simulations.warehouse;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Trino SQL literals for the multi-row VALUES the writer sends: one statement per batch, not per row. */
final class SqlLiterals {

    private SqlLiterals() {
    }

    static String string(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    /** DECIMAL(38,12): money in major units, as every warehouse money column. */
    static String money(BigDecimal value) {
        return value == null ? "NULL" : "CAST(DECIMAL '" + value.toPlainString() + "' AS decimal(38,12))";
    }

    static String percent(BigDecimal value) {
        return value == null ? "NULL" : "CAST(DECIMAL '" + value.toPlainString() + "' AS decimal(12,2))";
    }

    static String date(LocalDate value) {
        return value == null ? "NULL" : "DATE '" + value + "'";
    }

    static String number(long value) {
        return Long.toString(value);
    }
}
