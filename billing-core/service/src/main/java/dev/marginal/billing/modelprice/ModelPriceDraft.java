package dev.marginal.billing.modelprice;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

record ModelPriceDraft(ModelPriceRepository.ModelKey key, BigDecimal input, BigDecimal cachedInput, BigDecimal output,
                       OffsetDateTime effectiveFrom, OffsetDateTime effectiveTo, String sourceUrl) {
}
