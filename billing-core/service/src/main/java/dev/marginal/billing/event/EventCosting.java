package dev.marginal.billing.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.marginal.billing.modelprice.ModelPriceRepository;
import dev.marginal.pricing.llm.LlmCost;
import dev.marginal.pricing.llm.ModelPrice;
import dev.marginal.pricing.llm.ModelPriceCatalog;
import dev.marginal.pricing.llm.TokenUsage;
import tools.jackson.databind.JsonNode;

/**
 * Gives each event of a batch its cost: the client's {@code _cost} when it sent one, otherwise,
 * for an {@code _llm} event, the catalog price in effect at the event's timestamp, computed by the
 * pricing engine. The prices a batch needs are read in one query, then used in memory.
 */
@Component
public class EventCosting {

    private final ModelPriceRepository prices;

    public EventCosting(ModelPriceRepository prices) {
        this.prices = prices;
    }

    /** One entry per event, in order; null where the event has no cost. */
    public List<EventCost> costs(UUID organizationId, List<EventDraft> events) {
        Set<ModelPriceRepository.ModelKey> needed = new LinkedHashSet<>();
        for (EventDraft event : events) {
            JsonNode llm = event.metadata().get("_llm");
            if (event.metadata().get("_cost") == null && llm != null) {
                needed.add(new ModelPriceRepository.ModelKey(ModelPrice.key(llm.get("vendor").stringValue()),
                        ModelPrice.key(llm.get("model").stringValue())));
            }
        }
        ModelPriceCatalog catalog = ModelPriceCatalog.of(
                needed.isEmpty() ? List.of() : prices.pricesFor(organizationId, needed));
        List<EventCost> costs = new ArrayList<>(events.size());
        for (EventDraft event : events) {
            costs.add(cost(event, catalog));
        }
        return costs;
    }

    static EventCost cost(EventDraft event, ModelPriceCatalog catalog) {
        JsonNode cost = event.metadata().get("_cost");
        if (cost != null) {
            return new EventCost(cost.get("amount").decimalValue(),
                    cost.get("currency").stringValue().toLowerCase(Locale.ROOT), EventCost.FROM_EVENT, null);
        }
        JsonNode llm = event.metadata().get("_llm");
        if (llm == null) {
            return null;
        }
        Instant at = event.timestamp().toInstant();
        return catalog.priceAt(llm.get("vendor").stringValue(), llm.get("model").stringValue(), at)
                .map(price -> new EventCost(LlmCost.cents(usage(llm), price), "usd", EventCost.FROM_CATALOG,
                        UUID.fromString(price.id())))
                .orElse(null);
    }

    private static TokenUsage usage(JsonNode llm) {
        JsonNode cached = llm.get("cached_input_tokens");
        return new TokenUsage(llm.get("input_tokens").longValue(),
                cached == null || cached.isNull() ? 0 : cached.longValue(), llm.get("output_tokens").longValue());
    }
}
