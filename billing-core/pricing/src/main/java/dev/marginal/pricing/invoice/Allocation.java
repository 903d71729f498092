package dev.marginal.pricing.invoice;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.marginal.pricing.PricingInputException;

/**
 * Splits whole minor units across weights so the parts always sum to the whole — the largest
 * remainder (Hamilton) method: each part gets the floor of its exact share, then the units left
 * over go one each to the parts with the largest fractional remainders (ties: the earlier line).
 *
 * <p>Used to spread an order-level discount over its lines before each line is taxed; the
 * service can use it for partial refunds. Rounding each share on its own would lose or invent a cent.
 */
public final class Allocation {

    private Allocation() {
    }

    /**
     * @param total minor units to split, not negative
     * @param weights not negative, at least one positive unless {@code total} is zero
     */
    public static long[] proportional(long total, long[] weights) {
        if (total < 0) {
            throw new PricingInputException("total", "must not be negative, got " + total);
        }
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 0) {
                throw new PricingInputException("weights[" + i + "]", "must not be negative, got " + weights[i]);
            }
            sum = sum.add(BigInteger.valueOf(weights[i]));
        }
        long[] parts = new long[weights.length];
        if (total == 0) {
            return parts;
        }
        if (sum.signum() == 0) {
            throw new PricingInputException("weights", "cannot split " + total + " over weights that sum to zero");
        }
        BigInteger whole = BigInteger.valueOf(total);
        BigInteger[] remainders = new BigInteger[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = whole.multiply(BigInteger.valueOf(weights[i])).divideAndRemainder(sum);
            parts[i] = qr[0].longValueExact();
            remainders[i] = qr[1];
            given += parts[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> remainders[i]).reversed().thenComparing(i -> i));
        for (int k = 0; k < total - given; k++) {
            parts[order.get(k)]++;
        }
        return parts;
    }
}
