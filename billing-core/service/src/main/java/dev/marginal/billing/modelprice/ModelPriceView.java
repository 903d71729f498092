package dev.marginal.billing.modelprice;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A catalog row as the API shows it. {@code organization_id} is null for the public list price,
 * set for an organisation's own price. Prices are US dollars per million tokens.
 */
public record ModelPriceView(UUID id, UUID organizationId, String vendor, String model,
                             BigDecimal inputUsdPerMillionTokens, BigDecimal cachedInputUsdPerMillionTokens,
                             BigDecimal outputUsdPerMillionTokens, OffsetDateTime effectiveFrom,
                             OffsetDateTime effectiveTo, String sourceUrl, OffsetDateTime createdAt) {
}
