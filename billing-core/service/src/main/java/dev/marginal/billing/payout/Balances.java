package dev.marginal.billing.payout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.marginal.billing.ledger.Accounts;
import dev.marginal.billing.payment.PaymentProcessor;

/**
 * A merchant's balance, derived from the ledger and nothing else. Each movement's net effect on
 * the merchant account counts once: money arriving (a payment net of its fees, a dispute won back)
 * is pending until the processor's {@link PaymentProcessor#availabilityDelay()} has passed, as a
 * Stripe balance transaction's {@code available_on}; money leaving (refunds, disputes, payouts)
 * leaves the available balance at once, so it can go below zero but a payout can never overdraw it.
 */
@Service
public class Balances {

    private final JdbcClient jdbc;
    private final Duration delay;

    public Balances(JdbcClient jdbc, PaymentProcessor processor) {
        this.jdbc = jdbc;
        this.delay = processor.availabilityDelay();
    }

    /** One currency's figures; {@code available + pending} is the sum of the merchant's rows. */
    public record Figures(String currency, long available, long pending) {
    }

    public List<Figures> of(UUID organizationId, Instant now) {
        return jdbc.sql("""
                        WITH movement AS (
                            SELECT correlation_key, currency, sum(amount) AS net, min(created_at) AS at
                            FROM transactions WHERE organization_id = :org AND account = :merchant
                            GROUP BY correlation_key, currency)
                        SELECT currency,
                               coalesce(sum(net) FILTER (WHERE net <= 0 OR at <= :settled), 0) AS available,
                               coalesce(sum(net) FILTER (WHERE net > 0 AND at > :settled), 0) AS pending
                        FROM movement GROUP BY currency ORDER BY currency""")
                .param("org", organizationId).param("merchant", Accounts.merchant(organizationId))
                .param("settled", now.minus(delay).atOffset(ZoneOffset.UTC))
                .query((rs, n) -> new Figures(rs.getString(1), rs.getLong(2), rs.getLong(3))).list();
    }

    public long available(UUID organizationId, String currency, Instant now) {
        return of(organizationId, now).stream().filter(f -> f.currency().equals(currency))
                .mapToLong(Figures::available).findFirst().orElse(0);
    }

    public Balance balance(UUID organizationId, Instant now) {
        List<Balance.Funds> available = new ArrayList<>();
        List<Balance.Funds> pending = new ArrayList<>();
        for (Figures f : of(organizationId, now)) {
            available.add(new Balance.Funds(f.available(), f.currency()));
            pending.add(new Balance.Funds(f.pending(), f.currency()));
        }
        return Balance.of(available, pending);
    }
}
