package dev.marginal.billing.customer;

import dev.marginal.billing.tax.TaxId;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a create or update sets. For an update, a null field is left as it is, except where
 * {@code clear*} says the client sent an explicit JSON null.
 */
record CustomerDraft(String externalId, String email, String name, boolean clearName, JsonNode billingAddress,
                     boolean clearBillingAddress, String locale, boolean clearLocale, ObjectNode metadata,
                     TaxId taxId, boolean clearTaxId) {
}
