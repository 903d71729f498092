package dev.marginal.simulations.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.SplittableRandom;

import dev.marginal.simulations.scenario.Behaviour;

/**
 * Trials of how customers might react to a variant. In each trial every customer draws a usage
 * growth level (one of {@link #Z} quantiles of the assumed normal growth, each priced exactly by
 * the engine beforehand) and whether they churn, with the probability the churn curve gives their
 * bill increase; a customer who churns leaves at the start of a uniformly drawn period.
 *
 * <p>The random stream of a variant depends only on the seed and the variant's name, so a result
 * is reproducible for a seed whatever the thread count or the other variants.
 */
final class MonteCarlo {

    /** Normal quantiles at 10, 30, 50, 70 and 90 %: five equally likely growth levels. */
    static final double[] Z = {-1.2815515655, -0.5244005127, 0, 0.5244005127, 1.2815515655};

    private MonteCarlo() {
    }

    /** Per level and period, the factor usage is multiplied by: (1 + rate)^period. Null = no growth assumed. */
    static BigDecimal[][] growthFactors(Behaviour behaviour, int periods) {
        if (behaviour.growthMeanPct() == null) {
            return new BigDecimal[][] {null};
        }
        int levels = behaviour.growthSdPct().signum() == 0 ? 1 : Z.length;
        BigDecimal[][] factors = new BigDecimal[levels][periods];
        for (int k = 0; k < levels; k++) {
            double z = levels == 1 ? 0 : Z[k];
            BigDecimal rate = behaviour.growthMeanPct().add(behaviour.growthSdPct()
                    .multiply(new BigDecimal(z, MathContext.DECIMAL64))).movePointLeft(2);
            BigDecimal monthly = BigDecimal.ONE.add(rate).max(BigDecimal.ZERO);
            for (int p = 0; p < periods; p++) {
                factors[k][p] = monthly.pow(p).setScale(12, RoundingMode.HALF_EVEN);
            }
        }
        return factors;
    }

    /** Churn probability per customer from the curve and the customer's bill increase over the range. */
    static double[] churnProbabilities(List<Behaviour.ChurnPoint> curve, long[] actualTotal, long[] simulatedTotal) {
        double[] p = new double[actualTotal.length];
        if (curve.isEmpty()) {
            return p;
        }
        for (int c = 0; c < p.length; c++) {
            double increase;
            if (actualTotal[c] == 0) {
                increase = simulatedTotal[c] > 0 ? Double.POSITIVE_INFINITY : 0;
            } else {
                increase = (simulatedTotal[c] - actualTotal[c]) * 100.0 / actualTotal[c];
            }
            p[c] = interpolate(curve, increase);
        }
        return p;
    }

    static double interpolate(List<Behaviour.ChurnPoint> curve, double increasePct) {
        Behaviour.ChurnPoint first = curve.get(0);
        if (increasePct <= first.billIncreasePct().doubleValue()) {
            return first.probability().doubleValue();
        }
        for (int i = 1; i < curve.size(); i++) {
            Behaviour.ChurnPoint hi = curve.get(i);
            double x1 = hi.billIncreasePct().doubleValue();
            if (increasePct <= x1) {
                Behaviour.ChurnPoint lo = curve.get(i - 1);
                double x0 = lo.billIncreasePct().doubleValue();
                double y0 = lo.probability().doubleValue();
                double y1 = hi.probability().doubleValue();
                return y0 + (y1 - y0) * (increasePct - x0) / (x1 - x0);
            }
        }
        return curve.get(curve.size() - 1).probability().doubleValue();
    }

    /**
     * Runs the trials. {@code revenuePrefix[k][c * (periods + 1) + i]} is customer c's revenue
     * (minor units) over its first i periods at growth level k; {@code costPrefix} the same in micros.
     *
     * @return [0] revenue per trial in minor units, [1] margin per trial in micros
     */
    static long[][] trials(Behaviour behaviour, String variant, long[][] revenuePrefix, long[][] costPrefix,
                           double[] churn, int customers, int periods) {
        SplittableRandom random = new SplittableRandom(mix(behaviour.seed(), variant));
        int levels = revenuePrefix.length;
        long[] revenue = new long[behaviour.trials()];
        long[] margin = new long[behaviour.trials()];
        long micro = pow10(CostModel.MICROS);
        for (int t = 0; t < behaviour.trials(); t++) {
            long r = 0;
            long cost = 0;
            for (int c = 0; c < customers; c++) {
                int k = levels == 1 ? 0 : random.nextInt(levels);
                int stay = random.nextDouble() < churn[c] ? random.nextInt(periods) : periods;
                int at = c * (periods + 1) + stay;
                r += revenuePrefix[k][at];
                cost += costPrefix[k][at];
            }
            revenue[t] = r;
            margin[t] = Math.subtractExact(Math.multiplyExact(r, micro), cost);
        }
        return new long[][] {revenue, margin};
    }

    static long[] prefix(long[] cells, int customers, int periods) {
        long[] out = new long[customers * (periods + 1)];
        for (int c = 0; c < customers; c++) {
            long sum = 0;
            int base = c * (periods + 1);
            for (int p = 0; p < periods; p++) {
                sum = Math.addExact(sum, cells[c * periods + p]);
                out[base + p + 1] = sum;
            }
        }
        return out;
    }

    private static long mix(long seed, String variant) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < variant.length(); i++) {
            h = (h ^ variant.charAt(i)) * 0xBF58476D1CE4E5B9L;
        }
        return h ^ (h >>> 31);
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v *= 10;
        }
        return v;
    }
}
