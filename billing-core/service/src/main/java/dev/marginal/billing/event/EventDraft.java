package dev.marginal.billing.event;

import java.time.OffsetDateTime;
import java.util.UUID;

import tools.jackson.databind.node.ObjectNode;

/**
 * A validated event about to be stored. Exactly one of {@code customerId} and
 * {@code externalCustomerId} is set; {@code timestamp} is in UTC with microsecond precision,
 * as PostgreSQL keeps it.
 */
public record EventDraft(String name, UUID customerId, String externalCustomerId, String externalId,
                         OffsetDateTime timestamp, ObjectNode metadata) {
}
