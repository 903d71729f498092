package dev.marginal.billing.customer;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * Polar's {@code CustomerIndividual}, field for field. Fields Marginal does not manage yet
 * (payment methods, avatars, e-mail verification, tax ids) have Polar's empty values.
 */
public record Customer(UUID id, OffsetDateTime createdAt, OffsetDateTime modifiedAt, JsonNode metadata,
                       String externalId, String email, boolean emailVerified, String type, String name,
                       String billingName, JsonNode billingAddress, List<Object> taxId, String locale,
                       UUID organizationId, UUID defaultPaymentMethodId, OffsetDateTime deletedAt,
                       OffsetDateTime firstUserEventAt, String avatarUrl) {
}
