package dev.marginal.pricing.invoice;

import java.util.Locale;

import dev.marginal.pricing.price.Price;

/** What an invoice line bills for; the warehouse splits revenue by it (recurring vs usage vs one-off). */
public enum LineKind {
    FIXED, METERED, PRORATION, ONE_TIME;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of line a price produces at renewal or purchase (prorations are made by {@code Proration}). */
    public static LineKind of(Price price) {
        return switch (price.billing()) {
            case IN_ADVANCE -> FIXED;
            case IN_ARREARS -> METERED;
            case ONCE -> ONE_TIME;
        };
    }
}
