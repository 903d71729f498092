package dev.marginal.billing.ledger;

import java.util.UUID;

/** The ledger's account names: who holds the money. */
public final class Accounts {

    /** The card processor: its fees land here. */
    public static final String PROCESSOR = "processor";
    /** Marginal as merchant of record: its platform fee lands here. */
    public static final String PLATFORM = "platform";

    private Accounts() {
    }

    /** A tax authority, e.g. {@code tax:DE}, {@code tax:US-NYC}: what Marginal owes it as merchant of record. */
    public static String tax(String jurisdiction) {
        return "tax:" + jurisdiction;
    }

    public static String customer(UUID customerId) {
        return "customer:" + customerId;
    }

    public static String merchant(UUID organizationId) {
        return "merchant:" + organizationId;
    }

    /** The merchant's bank account, outside the platform: where payouts go. */
    public static String bank(UUID organizationId) {
        return "bank:" + organizationId;
    }
}
