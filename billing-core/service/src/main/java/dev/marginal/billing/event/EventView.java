package dev.marginal.billing.event;

import java.time.OffsetDateTime;
import java.util.UUID;

import dev.marginal.billing.customer.Customer;
import tools.jackson.databind.JsonNode;

/**
 * Polar's {@code UserEvent}. {@code customer} is resolved when the event is read, by
 * {@code customer_id} or {@code external_customer_id}, so an event sent before its customer
 * existed shows the customer once it does. {@code label} is the name: Marginal has no event types.
 */
public record EventView(UUID id, OffsetDateTime timestamp, UUID organizationId, UUID customerId, Customer customer,
                        String externalCustomerId, UUID memberId, String externalMemberId, int childCount,
                        UUID parentId, String label, String name, String source, JsonNode metadata) {
}
