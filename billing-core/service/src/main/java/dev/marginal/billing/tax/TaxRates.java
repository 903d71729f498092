package dev.marginal.billing.tax;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of the versioned tax rate table (V14). Rows are only ever added. */
@Repository
public class TaxRates {

    private final JdbcClient jdbc;

    public TaxRates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The row in force on {@code date} for an address: the longest matching postal prefix ('' is
     * the whole country), then the newest {@code valid_from} not after the date.
     */
    public Optional<TaxRateRow> inForce(String country, String postalCode, LocalDate date) {
        return jdbc.sql("""
                        SELECT * FROM tax_rates
                        WHERE country = :country AND valid_from <= :date
                          AND (postal_prefix = '' OR :postal LIKE postal_prefix || '%')
                        ORDER BY length(postal_prefix) DESC, valid_from DESC
                        LIMIT 1""")
                .param("country", country).param("date", date).param("postal", postalCode == null ? "" : postalCode)
                .query((rs, n) -> row(rs)).optional();
    }

    /** Every row, by jurisdiction and date: what {@code GET /v1/tax-rates} lists. */
    public List<TaxRateRow> all() {
        return jdbc.sql("SELECT * FROM tax_rates ORDER BY country, postal_prefix, valid_from")
                .query((rs, n) -> row(rs)).list();
    }

    /** Adds a rate version; a second row for the same prefix and day is a duplicate key. */
    public TaxRateRow add(TaxRateRow row) {
        return jdbc.sql("""
                        INSERT INTO tax_rates (country, postal_prefix, jurisdiction, tax_type, rate, reverse_charge,
                                               valid_from, description)
                        VALUES (:country, :prefix, :jurisdiction, :type, :rate, :reverse, :from, :description)
                        RETURNING *""")
                .param("country", row.country()).param("prefix", row.postalPrefix())
                .param("jurisdiction", row.jurisdiction()).param("type", row.taxType()).param("rate", row.rate())
                .param("reverse", row.reverseCharge()).param("from", row.validFrom())
                .param("description", row.description())
                .query((rs, n) -> row(rs)).single();
    }

    private static TaxRateRow row(ResultSet rs) throws SQLException {
        return new TaxRateRow(rs.getLong("id"), rs.getString("country"), rs.getString("postal_prefix"),
                rs.getString("jurisdiction"), rs.getString("tax_type"), rs.getBigDecimal("rate"),
                rs.getBoolean("reverse_charge"), rs.getObject("valid_from", LocalDate.class),
                rs.getString("description"));
    }
}
