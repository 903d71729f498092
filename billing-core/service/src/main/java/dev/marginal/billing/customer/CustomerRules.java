package dev.marginal.billing.customer;

import java.util.List;
import java.util.regex.Pattern;

import dev.marginal.billing.http.Body;
import dev.marginal.billing.problem.Violations;
import dev.marginal.billing.tax.TaxId;
import tools.jackson.databind.JsonNode;

/** Polar's {@code CustomerIndividualCreate}, {@code CustomerUpdate} and {@code CustomerUpdateExternalID}. */
final class CustomerRules {

    static final int MAX_EMAIL = 320;
    static final int MAX_TEXT = 400;
    private static final java.util.Set<String> COUNTRIES = java.util.Set.of(java.util.Locale.getISOCountries());
    private static final Pattern US_ZIP = Pattern.compile("[0-9]{5}(-[0-9]{4})?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private CustomerRules() {
    }

    static CustomerDraft create(JsonNode json) {
        Body body = Body.of(json, new Violations());
        refuseUnsupported(body, true);
        CustomerDraft draft = fields(body, true, true);
        body.violations().throwIfAny();
        return draft;
    }

    /** {@code allowExternalId}: the by-id update may set it; the by-external-id update may not. */
    static CustomerDraft update(JsonNode json, boolean allowExternalId) {
        Body body = Body.of(json, new Violations());
        refuseUnsupported(body, false);
        if (!allowExternalId && body.has("external_id")) {
            body.violations().add(Body.loc("external_id"), "Extra inputs are not permitted", "extra_forbidden");
        }
        CustomerDraft draft = fields(body, false, allowExternalId);
        body.violations().throwIfAny();
        return draft;
    }

    private static void refuseUnsupported(Body body, boolean create) {
        if (create && body.has("organization_id")) {
            body.violations().add(Body.loc("organization_id"),
                    "Setting organization_id is disallowed when using an organization token.", "organization_token");
        }
        JsonNode type = body.get("type");
        if (type != null && !type.isNull() && !"individual".equals(type.asString(""))) {
            body.violations().add(Body.loc("type"), "Only individual customers are supported yet.", "literal_error");
        }
    }

    private static CustomerDraft fields(Body body, boolean create, boolean allowExternalId) {
        String email = body.text("email", create, MAX_EMAIL);
        if (email != null && !EMAIL.matcher(email).matches()) {
            body.violations().add(Body.loc("email"), "value is not a valid email address", "value_error");
        }
        if (!create && body.sent("email") && !body.has("email")) {
            body.violations().add(Body.loc("email"), "Email cannot be removed", "value_error");
        }
        String externalId = allowExternalId ? body.text("external_id", false, MAX_TEXT) : null;
        String name = body.text("name", false, MAX_TEXT);
        String locale = body.text("locale", false, 35);
        JsonNode address = body.get("billing_address");
        if (address != null && !address.isNull() && !address.isObject()) {
            body.violations().add(Body.loc("billing_address"), "Input should be a valid dictionary", "dict_type");
        } else if (address != null && address.isObject()) {
            address(body, address);
        }
        TaxId taxId = taxId(body, address);
        boolean metadataSent = body.has("metadata");
        var metadata = body.metadata();
        return new CustomerDraft(externalId, email, name, body.sent("name") && !body.has("name"),
                address == null || address.isNull() ? null : address,
                body.sent("billing_address") && !body.has("billing_address"),
                locale, body.sent("locale") && !body.has("locale"),
                create || metadataSent ? metadata : null, taxId, body.sent("tax_id") && !body.has("tax_id"));
    }

    /**
     * The country must be a real ISO 3166-1 code, since it picks the tax; a US address needs a
     * valid ZIP code (five digits, or ZIP+4), since US sales tax is by ZIP.
     */
    private static void address(Body body, JsonNode address) {
        JsonNode country = address.get("country");
        if (country == null || !country.isString() || !COUNTRIES.contains(country.stringValue())) {
            body.violations().add(Body.loc("billing_address", "country"),
                    "Input should be an ISO 3166-1 alpha-2 country code", "literal_error");
            return;
        }
        JsonNode postal = address.get("postal_code");
        if (country.stringValue().equals("US")
                && (postal == null || !postal.isString() || !US_ZIP.matcher(postal.stringValue()).matches())) {
            body.violations().add(Body.loc("billing_address", "postal_code"),
                    "A US address needs a ZIP code of five digits or ZIP+4 (12345 or 12345-6789)", "value_error");
        }
    }

    /** Polar's {@code tax_id} input: a VAT number matching the billing country, when one is sent. */
    private static TaxId taxId(Body body, JsonNode address) {
        String raw = body.text("tax_id", false, 64);
        if (raw == null) {
            return null;
        }
        TaxId taxId = TaxId.parse(raw).orElse(null);
        if (taxId == null) {
            body.violations().add(Body.loc("tax_id"), "Invalid tax ID: expected an EU or UK VAT number such as"
                    + " DE123456789", "value_error");
            return null;
        }
        JsonNode country = address == null || address.isNull() ? null : address.get("country");
        if (country != null && country.isString() && !country.stringValue().equals(taxId.country())) {
            body.violations().add(Body.loc("tax_id"), "The VAT number is " + taxId.country()
                    + "'s but the billing address is in " + country.stringValue(), "value_error");
            return null;
        }
        return taxId;
    }

    static List<Object> externalIdLoc() {
        return Body.loc("external_id");
    }
}
