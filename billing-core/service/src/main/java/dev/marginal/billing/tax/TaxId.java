package dev.marginal.billing.tax;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A customer's VAT number as Polar stores it: the value and its format ({@code eu_vat},
 * {@code gb_vat}). Only the shape is checked here (country prefix, then 8 to 12 characters, the
 * range of the member states' formats); whether the number is registered is not asked of any authority.
 *
 * @param country the ISO country the number belongs to (Greece's {@code EL} prefix is {@code GR})
 */
public record TaxId(String value, String format, String country) {

    /** The EU member states' VAT prefixes: ISO codes, except Greece's EL. */
    static final Set<String> EU_VAT_PREFIXES = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
            "DE", "EL", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");
    private static final Pattern EU_VAT = Pattern.compile("([A-Z]{2})[0-9A-Z+*]{8,12}");
    private static final Pattern GB_VAT = Pattern.compile("GB([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})");

    /** The number in its canonical form (no spaces, dots or dashes, upper case), or empty when it is no VAT number. */
    public static Optional<TaxId> parse(String raw) {
        String value = raw.replaceAll("[\\s.\\-]", "").toUpperCase(Locale.ROOT);
        if (GB_VAT.matcher(value).matches()) {
            return Optional.of(new TaxId(value, "gb_vat", "GB"));
        }
        var eu = EU_VAT.matcher(value);
        if (eu.matches() && EU_VAT_PREFIXES.contains(eu.group(1))) {
            String prefix = eu.group(1);
            return Optional.of(new TaxId(value, "eu_vat", prefix.equals("EL") ? "GR" : prefix));
        }
        return Optional.empty();
    }

    /** Polar's wire form: {@code ["FR61954506077", "eu_vat"]}. */
    public List<Object> wire() {
        return List.of(value, format);
    }
}
