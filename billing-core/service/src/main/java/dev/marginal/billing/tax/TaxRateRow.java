package dev.marginal.billing.tax;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One row of {@code tax_rates}: a jurisdiction's rate from {@code validFrom} until a newer row. */
public record TaxRateRow(long id, String country, String postalPrefix, String jurisdiction, String taxType,
                         BigDecimal rate, boolean reverseCharge, LocalDate validFrom, String description) {

    public boolean isVat() {
        return "vat".equals(taxType);
    }
}
