package dev.marginal.reports;

import java.math.BigDecimal;

/**
 * One organisation's revenue figures in one currency over a range of UTC days, exact, in major units.
 *
 * <p>Booked figures (billing-core's orders and ledger, by the day they were booked):
 * {@code gross} charged to customers, tax included; {@code taxCollected}, net of tax given back;
 * {@code refunds} and {@code disputes} returned to customers, tax included, as positive amounts;
 * {@code fees} paid to processors and the platform; {@code billed} = revenue invoiced, tax excluded,
 * after refunds and disputes. Recognised figures (analytics.customer_margins, by the day revenue is
 * earned: a monthly fee a little each day): {@code recognised} revenue, {@code llmCost},
 * {@code feesRecognised}, and {@code margin} = recognised − LLM cost − fees.
 */
record Figures(
        BigDecimal gross,
        BigDecimal taxCollected,
        BigDecimal refunds,
        BigDecimal disputes,
        BigDecimal fees,
        BigDecimal billed,
        BigDecimal recognised,
        BigDecimal llmCost,
        BigDecimal feesRecognised,
        BigDecimal margin) {

    static final Figures ZERO = new Figures(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
            BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    /** What the merchant keeps of the day's bookings: gross − refunds − disputes − tax − fees (= billed − fees). */
    BigDecimal netRevenue() {
        return gross.subtract(refunds).subtract(disputes).subtract(taxCollected).subtract(fees);
    }

    Figures withBooked(BigDecimal gross, BigDecimal tax, BigDecimal refunds, BigDecimal disputes, BigDecimal fees, BigDecimal billed) {
        return new Figures(gross, tax, refunds, disputes, fees, billed, recognised, llmCost, feesRecognised, margin);
    }

    Figures withRecognised(BigDecimal recognised, BigDecimal llmCost, BigDecimal feesRecognised, BigDecimal margin) {
        return new Figures(gross, taxCollected, refunds, disputes, fees, billed, recognised, llmCost, feesRecognised, margin);
    }
}
