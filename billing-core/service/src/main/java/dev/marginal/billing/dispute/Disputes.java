package dev.marginal.billing.dispute;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.billing.ledger.Accounts;
import dev.marginal.billing.ledger.ChargeReturns;
import dev.marginal.billing.ledger.Ledger;
import dev.marginal.billing.ledger.Movement;
import dev.marginal.billing.payment.PaymentProcessor;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.pricing.Money;

/**
 * The life of a dispute (a chargeback). The processor reports it on a charge; opening it
 * withdraws the whole charge from the merchant and charges the processor's dispute fee, in one
 * ledger movement keyed by the dispute's id. When its response window closes, {@link #resolveDue}
 * asks the processor for the network's decision: won gives the charge back to the merchant (a
 * {@code dispute_reversal} movement), lost keeps it with the customer. The dispute fee is kept
 * either way, as Stripe keeps its dispute fee. The merchant may also accept a dispute (lost, at once).
 *
 * <p>{@link dev.marginal.billing.subscription.RenewalScheduler} calls {@link #resolveDue} after each
 * renewal sweep, and advancing a test clock calls it for that organisation.
 */
@Service
public class Disputes {

    private static final int RESOLVE_BATCH = 500;

    private final DisputeRepository repository;
    private final PaymentProcessor processor;
    private final Ledger ledger;
    private final JdbcClient jdbc;
    private final BillingClock clock;

    public Disputes(DisputeRepository repository, PaymentProcessor processor, Ledger ledger, JdbcClient jdbc,
                    BillingClock clock) {
        this.repository = repository;
        this.processor = processor;
        this.ledger = ledger;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private record Charged(long net, long tax, String currency, String taxJurisdiction) {
    }

    /**
     * Opens the dispute the processor reports on a charge that just succeeded, if it reports one,
     * in the caller's transaction (the payment's): a charge and its chargeback commit together.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void openIfReported(UUID organizationId, UUID orderId, UUID paymentId, UUID customerId,
                               PaymentProcessor.ChargeRequest request, PaymentProcessor.Charge charge, Instant at) {
        processor.disputeOf(request, charge).ifPresent(notice -> {
            Charged order = jdbc.sql("SELECT net_amount, tax_amount, currency, tax_jurisdiction FROM orders WHERE id = :id")
                    .param("id", orderId)
                    .query((rs, n) -> new Charged(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                    .single();
            java.util.Currency currency = Money.currency(order.currency());
            UUID id = Uuid7.generate();
            repository.insert(new DisputeRepository.NewDispute(id, organizationId, orderId, paymentId, customerId,
                    order.net(), order.tax(), order.currency(), notice.fee().minorUnits(), notice.reason(),
                    at.plus(notice.responseWindow()), charge.processor(), notice.reference(), at));
            String merchant = Accounts.merchant(organizationId);
            // The chargeback takes the whole charge back: its net from the merchant, its tax from the authority.
            List<Movement.Entry> entries = new ArrayList<>(ChargeReturns.toCustomer(Movement.Type.DISPUTE,
                    organizationId, customerId, order.taxJurisdiction(), new Money(order.net(), currency),
                    new Money(order.tax(), currency)));
            if (!notice.fee().isZero()) {
                // The processor's fee for handling it, kept whatever the outcome: a fee, not revenue.
                entries.addAll(Movement.transfer(Movement.Type.DISPUTE_FEE, merchant, Accounts.PROCESSOR, notice.fee()));
            }
            ledger.post(new Movement(organizationId, id, at, orderId, paymentId, entries));
        });
    }

    /** Decides every open dispute whose response window closed by {@code now}; returns how many. */
    @Transactional
    public int resolveDue(Instant now) {
        return resolveDue(now, null);
    }

    /** As {@link #resolveDue(Instant)} for one organisation on a test clock, or (null) every one on real time. */
    @Transactional
    public int resolveDue(Instant now, UUID testClockOrganization) {
        List<DisputeRepository.Locked> due = repository.lockDue(now, testClockOrganization, RESOLVE_BATCH);
        for (DisputeRepository.Locked dispute : due) {
            DisputeStatus outcome = switch (processor.decide(dispute.reference())) {
                case WON -> DisputeStatus.WON;
                case LOST -> DisputeStatus.LOST;
            };
            dispute.status().transitionTo(outcome);
            UUID reversal = null;
            if (outcome == DisputeStatus.WON) {
                reversal = Uuid7.generate();
                java.util.Currency currency = Money.currency(dispute.currency().toUpperCase(Locale.ROOT));
                ledger.post(new Movement(dispute.organizationId(), reversal, now, dispute.orderId(),
                        dispute.paymentId(), ChargeReturns.fromCustomer(Movement.Type.DISPUTE_REVERSAL,
                        dispute.organizationId(), dispute.customerId(), dispute.taxJurisdiction(),
                        new Money(dispute.amount(), currency), new Money(dispute.taxAmount(), currency))));
            }
            repository.resolve(dispute.id(), outcome, reversal, now);
        }
        return due.size();
    }

    /** Polar's accept: the merchant concedes; the dispute is lost at once and the money stays with the customer. */
    @Transactional
    public void accept(UUID organizationId, UUID id) {
        DisputeRepository.Locked dispute = repository.lock(organizationId, id)
                .orElseThrow(() -> ApiException.notFound("Dispute not found."));
        dispute.status().transitionTo(DisputeStatus.LOST);
        repository.resolve(id, DisputeStatus.LOST, null, clock.now(organizationId).truncatedTo(ChronoUnit.MICROS));
    }
}
