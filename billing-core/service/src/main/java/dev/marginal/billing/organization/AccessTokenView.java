package dev.marginal.billing.organization;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Polar's {@code OrganizationAccessToken}: never the token itself, which is shown once, at creation.
 * {@code last_used_at} is not tracked (a write per request would tax every call) and reads null.
 */
public record AccessTokenView(OffsetDateTime createdAt, OffsetDateTime modifiedAt, UUID id, List<String> scopes,
                              OffsetDateTime expiresAt, String comment, OffsetDateTime lastUsedAt,
                              UUID organizationId) {
}
