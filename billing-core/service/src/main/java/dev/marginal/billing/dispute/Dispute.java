package dev.marginal.billing.dispute;

import java.time.OffsetDateTime;
import java.util.UUID;

import dev.marginal.billing.customer.Customer;

/**
 * Polar's {@code Dispute} (API 2026-10), field for field. {@code amount} and {@code tax_amount}
 * split what the bank took back as the order split it; {@code reason} is the network's;
 * {@code case_id} is null (Marginal opens no support cases).
 */
public record Dispute(OffsetDateTime createdAt, OffsetDateTime modifiedAt, UUID id, String status, boolean resolved,
                      boolean closed, long amount, long taxAmount, String currency, String reason,
                      OffsetDateTime evidenceDueBy, boolean pastDue, UUID orderId, UUID paymentId,
                      Customer customer, UUID caseId) {
}
