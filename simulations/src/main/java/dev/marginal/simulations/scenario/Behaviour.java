package dev.marginal.simulations.scenario;

import java.math.BigDecimal;
import java.util.List;

/**
 * Optional, explicit assumptions about how customers react; without them the simulation is a
 * deterministic replay of history.
 *
 * @param churn points of (bill increase %, probability the customer leaves), interpolated linearly
 *              and flat beyond the ends; empty = nobody churns
 * @param growthMeanPct mean monthly usage growth in percent; {@code null} = usage as recorded
 * @param growthSdPct its standard deviation across customers, in percentage points
 */
public record Behaviour(List<ChurnPoint> churn, BigDecimal growthMeanPct, BigDecimal growthSdPct, int trials, long seed) {

    public static final Behaviour NONE = new Behaviour(List.of(), null, null, 0, 0);

    public Behaviour {
        churn = List.copyOf(churn);
    }

    public boolean isStochastic() {
        return trials > 0 && (!churn.isEmpty() || growthMeanPct != null);
    }

    public record ChurnPoint(BigDecimal billIncreasePct, BigDecimal probability) {
    }
}
