package dev.marginal.billing.organization;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant: a merchant whose customers Marginal bills. */
public record Organization(UUID id, String name, String slug, OffsetDateTime createdAt) {
}
