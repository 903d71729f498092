package dev.marginal.billing.payment;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.dispute.Disputes;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.billing.ledger.Accounts;
import dev.marginal.billing.ledger.Ledger;
import dev.marginal.billing.ledger.Movement;
import dev.marginal.pricing.Money;
import tools.jackson.databind.JsonNode;

/**
 * Collects an order's total through the {@link PaymentProcessor}. Every attempt is a row of
 * {@code payments}; a succeeded one is also one ledger movement: the customer pays the merchant
 * the order's net and the tax authority its tax, the merchant pays the processor's fee and the
 * platform fee ({@link Fees}, both on the whole charge, as a card processor bills). It runs inside the
 * caller's transaction, so the order turning paid, the payment and the movement commit together.
 */
@Service
public class Payments {

    private final PaymentProcessor processor;
    private final Ledger ledger;
    private final Disputes disputes;
    private final JdbcClient jdbc;

    public Payments(PaymentProcessor processor, Ledger ledger, Disputes disputes, JdbcClient jdbc) {
        this.processor = processor;
        this.ledger = ledger;
        this.disputes = disputes;
        this.jdbc = jdbc;
    }

    public record Collection(UUID paymentId, boolean succeeded, Money processorFee, Money platformFee,
                             String declineReason) {
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Collection collect(UUID organizationId, UUID orderId, UUID customerId, JsonNode customerMetadata,
                              Money total, Money tax, String taxJurisdiction, PaymentProcessor.Trigger trigger,
                              Instant at) {
        PaymentProcessor.ChargeRequest request = new PaymentProcessor.ChargeRequest(customerId, customerMetadata, total,
                trigger);
        PaymentProcessor.Charge charge = processor.charge(request);
        UUID paymentId = Uuid7.generate();
        jdbc.sql("""
                        INSERT INTO payments (id, organization_id, order_id, customer_id, processor, processor_reference,
                                              status, amount, currency, processor_fee_amount, decline_reason, created_at)
                        VALUES (:id, :org, :order, :customer, :processor, :reference, :status, :amount, :currency,
                                :fee, :decline, :at)""")
                .param("id", paymentId).param("org", organizationId).param("order", orderId)
                .param("customer", customerId).param("processor", charge.processor())
                .param("reference", charge.reference()).param("status", charge.succeeded() ? "succeeded" : "failed")
                .param("amount", total.minorUnits())
                .param("currency", total.currency().getCurrencyCode().toLowerCase(Locale.ROOT))
                .param("fee", charge.fee().minorUnits()).param("decline", charge.declineReason())
                .param("at", at.atOffset(ZoneOffset.UTC)).update();
        if (!charge.succeeded()) {
            return new Collection(paymentId, false, charge.fee(), Money.zero(total.currency()), charge.declineReason());
        }
        Money platformFee = Fees.platformFee(total, charge.fee());
        String merchant = Accounts.merchant(organizationId);
        // Tax is never revenue: it goes straight to the authority's account, never through the merchant's.
        Money revenue = total.minus(tax);
        List<Movement.Entry> entries = new ArrayList<>();
        if (!revenue.isZero()) {
            entries.addAll(Movement.transfer(Movement.Type.PAYMENT, Accounts.customer(customerId), merchant, revenue));
        }
        if (!tax.isZero()) {
            entries.addAll(Movement.transfer(Movement.Type.TAX, Accounts.customer(customerId),
                    Accounts.tax(taxJurisdiction), tax));
        }
        if (!charge.fee().isZero()) {
            entries.addAll(Movement.transfer(Movement.Type.PROCESSOR_FEE, merchant, Accounts.PROCESSOR, charge.fee()));
        }
        if (!platformFee.isZero()) {
            entries.addAll(Movement.transfer(Movement.Type.PLATFORM_FEE, merchant, Accounts.PLATFORM, platformFee));
        }
        ledger.post(new Movement(organizationId, paymentId, at, orderId, paymentId, entries));
        disputes.openIfReported(organizationId, orderId, paymentId, customerId, request, charge, at);
        return new Collection(paymentId, true, charge.fee(), platformFee, null);
    }
}
