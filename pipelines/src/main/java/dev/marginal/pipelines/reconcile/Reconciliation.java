package dev.marginal.pipelines.reconcile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Compares the two sides' figures exactly: 0.10 equals 0.1, anything else is a difference. */
public final class Reconciliation {

    private Reconciliation() {}

    public static List<Difference> compare(Map<Figure, BigDecimal> billing, Map<Figure, BigDecimal> warehouse) {
        TreeSet<Figure> figures = new TreeSet<>(billing.keySet());
        figures.addAll(warehouse.keySet());
        List<Difference> differences = new ArrayList<>();
        for (Figure figure : figures) {
            BigDecimal b = billing.getOrDefault(figure, BigDecimal.ZERO);
            BigDecimal w = warehouse.getOrDefault(figure, BigDecimal.ZERO);
            if (b.compareTo(w) != 0) {
                differences.add(new Difference(figure, b, w));
            }
        }
        return differences;
    }
}
