package dev.marginal.billing.customer;

import java.util.List;
import java.util.regex.Pattern;

import dev.marginal.billing.http.Body;
import dev.marginal.billing.problem.Violations;
import tools.jackson.databind.JsonNode;

/** Polar's {@code CustomerIndividualCreate}, {@code CustomerUpdate} and {@code CustomerUpdateExternalID}. */
final class CustomerRules {

    static final int MAX_EMAIL = 320;
    static final int MAX_TEXT = 400;
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
        if (body.has("tax_id")) {
            body.violations().add(Body.loc("tax_id"), "Tax IDs are not supported yet.", "value_error");
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
            JsonNode country = address.get("country");
            if (country == null || !country.isString() || !country.stringValue().matches("[A-Z]{2}")) {
                body.violations().add(Body.loc("billing_address", "country"),
                        "Input should be an ISO 3166-1 alpha-2 country code", "literal_error");
            }
        }
        boolean metadataSent = body.has("metadata");
        var metadata = body.metadata();
        return new CustomerDraft(externalId, email, name, body.sent("name") && !body.has("name"),
                address == null || address.isNull() ? null : address,
                body.sent("billing_address") && !body.has("billing_address"),
                locale, body.sent("locale") && !body.has("locale"),
                create || metadataSent ? metadata : null);
    }

    static List<Object> externalIdLoc() {
        return Body.loc("external_id");
    }
}
