package dev.marginal.pricing.tax;

/**
 * Why a line is taxed as it is — Stripe's {@code taxability_reason}, reduced to what a merchant of
 * record needs to print and report. Every treatment but {@link #STANDARD} charges no tax, but they
 * are not the same fact: a reverse-charged line must say so on the invoice and be reported in the
 * EU's recapitulative statement; an exempt or uncollected one must not.
 */
public enum TaxTreatment {
    /** Taxed at the jurisdiction's rate. */
    STANDARD,
    /** EU B2B with a valid VAT id: the customer self-accounts for VAT; rate 0, flagged. */
    REVERSE_CHARGE,
    /** The customer or the product is exempt. */
    EXEMPT,
    /** Marginal is not registered to collect tax in this jurisdiction. */
    NOT_COLLECTING
}
