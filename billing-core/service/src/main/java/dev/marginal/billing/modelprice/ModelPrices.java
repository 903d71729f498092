package dev.marginal.billing.modelprice;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.http.Body;
import dev.marginal.billing.problem.Violations;
import tools.jackson.databind.JsonNode;

/**
 * An organisation's own model prices. A new price supersedes the open-ended one it follows (that
 * one is closed at the new {@code effective_from}, as a Stripe price is replaced); any other overlap
 * is refused, so at every instant at most one own price of a model is in effect.
 */
@Service
public class ModelPrices {

    static final int MAX_TEXT = 200;
    /** Six decimals of dollars per million tokens: the column's scale. */
    static final int PRICE_SCALE = 6;

    private final ModelPriceRepository repository;
    private final BillingClock clock;

    public ModelPrices(ModelPriceRepository repository, BillingClock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    static ModelPriceDraft read(JsonNode json, OffsetDateTime now) {
        Body body = Body.of(json, new Violations());
        String vendor = body.text("vendor", true, MAX_TEXT);
        String model = body.text("model", true, MAX_TEXT);
        BigDecimal input = price(body, "input_usd_per_million_tokens", true);
        BigDecimal cached = price(body, "cached_input_usd_per_million_tokens", false);
        BigDecimal output = price(body, "output_usd_per_million_tokens", true);
        OffsetDateTime from = timestamp(body, "effective_from");
        OffsetDateTime to = timestamp(body, "effective_to");
        String source = body.text("source_url", false, 2000);
        if (from == null && !body.has("effective_from")) {
            from = now;
        }
        if (from != null && to != null && !to.isAfter(from)) {
            body.violations().add(Body.loc("effective_to"), "effective_to must be after effective_from", "value_error");
        }
        body.violations().throwIfAny();
        return new ModelPriceDraft(new ModelPriceRepository.ModelKey(vendor.strip().toLowerCase(java.util.Locale.ROOT),
                model.strip().toLowerCase(java.util.Locale.ROOT)), input, cached, output, from, to, source);
    }

    @Transactional
    public ModelPriceView create(UUID organizationId, JsonNode json) {
        ModelPriceDraft draft = read(json, clock.now(organizationId).atOffset(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MICROS));
        repository.lock(organizationId, draft.key());
        List<ModelPriceView> own = repository.ownPrices(organizationId, draft.key());
        for (ModelPriceView existing : own) {
            if (existing.effectiveTo() == null && existing.effectiveFrom().isBefore(draft.effectiveFrom())) {
                // Superseded; a refusal below rolls this back with the rest of the transaction.
                repository.close(existing.id(), draft.effectiveFrom());
            } else if (overlaps(existing, draft)) {
                Violations violations = new Violations();
                violations.add(Body.loc("effective_from"), "The period overlaps price " + existing.id() + " of "
                        + draft.key().vendor() + "/" + draft.key().model() + " (" + existing.effectiveFrom() + " to "
                        + (existing.effectiveTo() == null ? "open" : existing.effectiveTo()) + ")", "value_error");
                violations.throwIfAny();
            }
        }
        return repository.insert(organizationId, draft);
    }

    private static boolean overlaps(ModelPriceView existing, ModelPriceDraft draft) {
        boolean startsBeforeDraftEnds = draft.effectiveTo() == null || existing.effectiveFrom().isBefore(draft.effectiveTo());
        boolean endsAfterDraftStarts = existing.effectiveTo() == null || existing.effectiveTo().isAfter(draft.effectiveFrom());
        return startsBeforeDraftEnds && endsAfterDraftStarts;
    }

    private static BigDecimal price(Body body, String field, boolean required) {
        BigDecimal value = body.decimal(field, required);
        if (value == null) {
            return null;
        }
        if (value.signum() < 0) {
            body.violations().add(Body.loc(field), "Input should be greater than or equal to 0", "greater_than_equal");
        } else if (value.stripTrailingZeros().scale() > PRICE_SCALE) {
            body.violations().add(Body.loc(field), "Decimal input should have no more than " + PRICE_SCALE
                    + " decimal places", "decimal_max_places");
        } else if (value.precision() - value.scale() > 14) {
            body.violations().add(Body.loc(field), "Price is out of range", "decimal_whole_digits");
        } else {
            return value;
        }
        return null;
    }

    private static OffsetDateTime timestamp(Body body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asString("")).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        } catch (java.time.format.DateTimeParseException e) {
            body.violations().add(Body.loc(field), "Input should be a valid ISO-8601 datetime with an offset",
                    "datetime_parsing");
            return null;
        }
    }
}
