package dev.marginal.billing.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.customer.Customer;
import dev.marginal.billing.customer.CustomerRepository;
import dev.marginal.billing.discount.DiscountRepository;
import dev.marginal.billing.discount.StoredDiscount;
import dev.marginal.billing.meter.Meter;
import dev.marginal.billing.meter.MeterRepository;
import dev.marginal.billing.meter.MeterUsage;
import dev.marginal.billing.payment.PaymentProcessor;
import dev.marginal.billing.payment.Payments;
import dev.marginal.billing.product.Product;
import dev.marginal.billing.product.ProductPrice;
import dev.marginal.billing.product.ProductRepository;
import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.Invoice;
import dev.marginal.pricing.invoice.InvoiceLine;
import dev.marginal.pricing.period.ServicePeriod;
import dev.marginal.pricing.price.Price;
import dev.marginal.pricing.price.Recurrence;
import dev.marginal.billing.tax.TaxId;
import dev.marginal.billing.tax.Taxes;
import dev.marginal.pricing.tax.TaxBehaviorOption;

/**
 * Bills a subscription's period as an order and collects it. The lines: each in-advance price
 * (fixed, free) for the period the order opens, and each metered price for the period that just
 * ended, its quantity read from the meter by the pricing engine. Tax is decided by {@link Taxes}
 * from the customer's billing address and VAT number on the period's first day; totals, per-line
 * tax, the subscription's discount (while its duration lasts; tax is on what is left) and the tax
 * behaviour's arithmetic all come from {@link Invoice#compute}.
 * Runs in the caller's transaction: the order, its payment and its ledger movement commit together.
 */
@Service
public class Orders {

    private final OrderRepository repository;
    private final ProductRepository products;
    private final CustomerRepository customers;
    private final MeterRepository meters;
    private final MeterUsage usage;
    private final Payments payments;
    private final Taxes taxes;
    private final DiscountRepository discounts;
    private final JdbcClient jdbc;

    public Orders(OrderRepository repository, ProductRepository products, CustomerRepository customers,
                  MeterRepository meters, MeterUsage usage, Payments payments, Taxes taxes, DiscountRepository discounts,
                  JdbcClient jdbc) {
        this.taxes = taxes;
        this.discounts = discounts;
        this.repository = repository;
        this.products = products;
        this.customers = customers;
        this.meters = meters;
        this.usage = usage;
        this.payments = payments;
        this.jdbc = jdbc;
    }

    /** Polar's {@code billing_reason}. */
    public enum Reason {
        SUBSCRIPTION_CREATE, SUBSCRIPTION_CYCLE;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Billed(UUID orderId, boolean paid, String declineReason) {
    }

    private record Sold(UUID customerId, UUID productId, String currency, Recurrence recurrence,
                        String defaultTaxBehavior, UUID discountId, Instant billingAnchor) {
    }

    /**
     * @param period      the period the order opens: its fixed fee is billed in advance
     * @param usagePeriod the period that just ended, billed in arrears; null when none (creation, a trial)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Billed billSubscription(UUID organizationId, UUID subscriptionId, Reason reason, ServicePeriod period,
                                   ServicePeriod usagePeriod, Instant at) {
        Sold sold = jdbc.sql("""
                        SELECT s.customer_id, s.product_id, s.currency, s.recurring_interval,
                               s.recurring_interval_count, o.default_tax_behavior, s.discount_id, s.billing_anchor
                        FROM subscriptions s JOIN organizations o ON o.id = s.organization_id
                        WHERE s.organization_id = :org AND s.id = :id""")
                .param("org", organizationId).param("id", subscriptionId)
                .query((rs, n) -> new Sold(rs.getObject("customer_id", UUID.class),
                        rs.getObject("product_id", UUID.class), rs.getString("currency"),
                        new Recurrence(Recurrence.Interval.fromWire(rs.getString("recurring_interval")),
                                rs.getInt("recurring_interval_count")), rs.getString("default_tax_behavior"),
                        rs.getObject("discount_id", UUID.class),
                        rs.getObject("billing_anchor", java.time.OffsetDateTime.class).toInstant()))
                .single();
        List<UUID> priceIds = jdbc.sql("SELECT price_id FROM subscription_prices WHERE subscription_id = :id")
                .param("id", subscriptionId).query(UUID.class).list();
        Product product = products.find(organizationId, sold.productId()).orElseThrow();
        Customer customer = customers.findById(organizationId, sold.customerId()).orElseThrow();
        List<ProductPrice> prices = new ArrayList<>(products.pricesByIds(organizationId, priceIds));
        prices.sort(Comparator.comparing((ProductPrice p) -> p.meterId() != null).thenComparing(p -> p.id()));

        List<InvoiceLine> lines = new ArrayList<>();
        List<UUID> linePrices = new ArrayList<>();
        java.util.Currency currency = Money.currency(sold.currency());
        for (ProductPrice price : prices) {
            Price engine = price.engine(sold.recurrence());
            if (engine.billing() == Price.Billing.IN_ADVANCE) {
                lines.add(InvoiceLine.priced(product.name(), period, engine, BigDecimal.ONE, "unit"));
                linePrices.add(price.id());
            } else if (engine.billing() == Price.Billing.IN_ARREARS && usagePeriod != null) {
                Meter meter = meters.find(organizationId, price.meterId()).orElseThrow();
                BigDecimal quantity = usage.total(meter, customer.id(), usagePeriod.start(), usagePeriod.end());
                lines.add(InvoiceLine.priced(product.name() + " — " + meter.name(), usagePeriod, engine, quantity,
                        meter.unit()));
                linePrices.add(price.id());
            }
        }
        Taxes.Quote quote = taxes.quote(customer.billingAddress(), taxId(customer), taxBehavior(prices, sold), at);
        StoredDiscount discount = discount(organizationId, sold, period);
        Invoice invoice = Invoice.compute(currency, lines, discount == null ? null : discount.engine(sold.currency()),
                quote.behavior(), quote.decision());
        UUID orderId = repository.insert(new OrderRepository.NewOrder(organizationId, customer.id(), product.id(),
                subscriptionId, reason.wireName(), period.start(), period.end(), at, invoice, linePrices, quote,
                discount == null ? null : discount.id()));
        Money total = invoice.total();
        if (total.isZero()) {
            repository.markPaid(orderId, 0, at);
            return new Billed(orderId, true, null);
        }
        PaymentProcessor.Trigger trigger = reason == Reason.SUBSCRIPTION_CREATE ? PaymentProcessor.Trigger.PURCHASE
                : PaymentProcessor.Trigger.SUBSCRIPTION_CYCLE;
        Payments.Collection collection = payments.collect(organizationId, orderId, customer.id(), customer.metadata(),
                total, invoice.tax(), quote.decision().jurisdiction(), trigger, at);
        if (collection.succeeded()) {
            repository.markPaid(orderId, collection.platformFee().minorUnits(), at);
        }
        return new Billed(orderId, collection.succeeded(), collection.declineReason());
    }

    /** The subscription's discount, when its duration covers the period the order opens. */
    private StoredDiscount discount(UUID organizationId, Sold sold, ServicePeriod period) {
        if (sold.discountId() == null) {
            return null;
        }
        StoredDiscount discount = discounts.findRedeemed(organizationId, sold.discountId()).orElseThrow();
        return discount.duration().appliesTo(sold.billingAnchor(), discount.durationInMonths(), period.start())
                ? discount : null;
    }

    /** The sold prices' tax behaviour (a product's prices share one), else the organisation's default. */
    private static TaxBehaviorOption taxBehavior(List<ProductPrice> prices, Sold sold) {
        return prices.stream().map(ProductPrice::taxBehavior).filter(java.util.Objects::nonNull).findFirst()
                .map(TaxBehaviorOption::fromWire).orElse(TaxBehaviorOption.fromWire(sold.defaultTaxBehavior()));
    }

    /** The customer's VAT number, re-read from Polar's {@code [value, format]}. */
    private static TaxId taxId(Customer customer) {
        return customer.taxId() == null ? null : TaxId.parse(String.valueOf(customer.taxId().get(0))).orElse(null);
    }

    /**
     * Tries to collect a pending order again (a dunning retry), off session. An order already paid
     * is left alone and reported paid, so a retry that races another collection charges nothing twice.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Billed retry(UUID organizationId, UUID orderId, Instant at) {
        OrderRepository.Due due = repository.lockDue(organizationId, orderId).orElseThrow();
        if (due.paid()) {
            return new Billed(orderId, true, null);
        }
        Customer customer = customers.findById(organizationId, due.customerId()).orElseThrow();
        Payments.Collection collection = payments.collect(organizationId, orderId, customer.id(), customer.metadata(),
                due.total(), due.tax(), due.taxJurisdiction(), PaymentProcessor.Trigger.SUBSCRIPTION_CYCLE, at);
        if (collection.succeeded()) {
            repository.markPaid(orderId, collection.platformFee().minorUnits(), at);
        }
        return new Billed(orderId, collection.succeeded(), collection.declineReason());
    }

    /** Polar's {@code next_payment_attempt_at} on the order; null when no retry is scheduled. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void scheduleRetry(UUID orderId, Instant nextAttemptAt) {
        repository.nextPaymentAttempt(orderId, nextAttemptAt);
    }
}
