package dev.marginal.billing.payout;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.billing.ledger.Accounts;
import dev.marginal.billing.ledger.Ledger;
import dev.marginal.billing.ledger.Movement;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;
import dev.marginal.pricing.Money;
import tools.jackson.databind.JsonNode;

/**
 * Pays a merchant's available balance out to its bank: never more than is available, never
 * nothing. The balance is read under a per-organisation-and-currency lock, and the payout row and
 * its ledger movement (merchant → bank, type {@code payout}) commit together.
 */
@Service
public class Payouts {

    /** The sandbox's bank transfer arrives the next day. */
    public static final Duration TRANSIT = Duration.ofDays(1);

    private final PayoutRepository repository;
    private final Balances balances;
    private final Ledger ledger;
    private final BillingClock clock;

    public Payouts(PayoutRepository repository, Balances balances, Ledger ledger, BillingClock clock) {
        this.repository = repository;
        this.balances = balances;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** @param amount minor units; null pays out the whole available balance */
    public record Create(String currency, Long amount, String description, JsonNode metadata) {
    }

    @Transactional
    public UUID create(UUID organizationId, Create request) {
        Instant now = clock.now(organizationId).truncatedTo(ChronoUnit.MICROS);
        repository.lockBalance(organizationId, request.currency());
        long available = balances.available(organizationId, request.currency(), now);
        long amount = request.amount() == null ? available : request.amount();
        if (amount > available || amount <= 0) {
            throw new ApiException(ProblemType.BALANCE_INSUFFICIENT, "The available " + request.currency()
                    + " balance is " + available + (amount > 0 ? "; a payout of " + amount + " exceeds it." : "; there is nothing to pay out."));
        }
        UUID id = Uuid7.generate();
        repository.insert(id, organizationId, amount, request.currency(), request.description(), request.metadata(),
                now.plus(TRANSIT), now);
        ledger.post(new Movement(organizationId, id, now, null, null, Movement.transfer(Movement.Type.PAYOUT,
                Accounts.merchant(organizationId), Accounts.bank(organizationId),
                new Money(amount, Money.currency(request.currency())))));
        return id;
    }
}
