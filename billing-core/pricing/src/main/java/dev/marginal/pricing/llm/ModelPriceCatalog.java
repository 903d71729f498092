package dev.marginal.pricing.llm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable set of model prices, answering "what did this model cost at that instant?".
 * Built once per ingest batch from the rows the batch needs, then consulted in memory.
 */
public final class ModelPriceCatalog {

    private final Map<String, List<ModelPrice>> byModel;

    private ModelPriceCatalog(Map<String, List<ModelPrice>> byModel) {
        this.byModel = byModel;
    }

    public static ModelPriceCatalog of(List<ModelPrice> prices) {
        Map<String, List<ModelPrice>> byModel = new HashMap<>();
        for (ModelPrice price : prices) {
            byModel.computeIfAbsent(price.vendor() + '\u0000' + price.model(), k -> new ArrayList<>()).add(price);
        }
        byModel.replaceAll((k, v) -> List.copyOf(v));
        return new ModelPriceCatalog(Map.copyOf(byModel));
    }

    /**
     * The price in effect at {@code at}: an organisation's override if one is in effect, else the
     * public list price. Of several in effect (overlaps are refused when prices are written, but a
     * catalog may be built from anything), the one that took effect last wins.
     */
    public Optional<ModelPrice> priceAt(String vendor, String model, Instant at) {
        List<ModelPrice> candidates = byModel.getOrDefault(ModelPrice.key(vendor) + '\u0000' + ModelPrice.key(model),
                List.of());
        ModelPrice best = null;
        for (ModelPrice price : candidates) {
            if (price.isInEffectAt(at) && (best == null || beats(price, best))) {
                best = price;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean beats(ModelPrice candidate, ModelPrice current) {
        if (candidate.override() != current.override()) {
            return candidate.override();
        }
        return candidate.effectiveFrom().isAfter(current.effectiveFrom());
    }
}
