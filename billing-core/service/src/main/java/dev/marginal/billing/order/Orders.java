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
import dev.marginal.pricing.invoice.CreditCarry;
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
    private final PendingInvoiceItems pending;

    public Orders(OrderRepository repository, ProductRepository products, CustomerRepository customers,
                  MeterRepository meters, MeterUsage usage, Payments payments, Taxes taxes, DiscountRepository discounts,
                  JdbcClient jdbc, PendingInvoiceItems pending) {
        this.pending = pending;
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
        SUBSCRIPTION_CREATE, SUBSCRIPTION_CYCLE, SUBSCRIPTION_UPDATE;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Billed(UUID orderId, boolean paid, String declineReason) {
    }

    /** An order line with the price it was made from (null for none, e.g. a free stand-in). */
    public record Line(InvoiceLine line, UUID priceId) {
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
        return billSubscription(organizationId, subscriptionId, reason, period, usagePeriod, List.of(), at);
    }

    /**
     * @param earlier lines priced before this call, e.g. the usage of the prices a plan change
     *                replaced at this period's end
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Billed billSubscription(UUID organizationId, UUID subscriptionId, Reason reason, ServicePeriod period,
                                   ServicePeriod usagePeriod, List<Line> earlier, Instant at) {
        Sold sold = sold(organizationId, subscriptionId);
        Product product = products.find(organizationId, sold.productId()).orElseThrow();
        Customer customer = customers.findById(organizationId, sold.customerId()).orElseThrow();
        List<ProductPrice> prices = soldPrices(organizationId, subscriptionId);
        List<Line> lines = new ArrayList<>(earlier);
        for (ProductPrice price : prices) {
            Price engine = price.engine(sold.recurrence());
            if (engine.billing() == Price.Billing.IN_ADVANCE) {
                lines.add(new Line(InvoiceLine.priced(product.name(), period, engine, BigDecimal.ONE, "unit"),
                        price.id()));
            }
        }
        if (usagePeriod != null) {
            lines.addAll(usageLines(organizationId, customer.id(), product.name(), prices, sold.recurrence(),
                    usagePeriod));
        }
        List<UUID> pendingIds = new ArrayList<>();
        if (reason == Reason.SUBSCRIPTION_CYCLE) {
            lines.addAll(pending.open(subscriptionId, Money.currency(sold.currency()), pendingIds));
        }
        StoredDiscount discount = discount(organizationId, sold, period);
        return bill(organizationId, subscriptionId, sold, customer, product, prices, reason, period, lines, discount,
                pendingIds, at);
    }

    /**
     * A plan change's order (Polar's {@code subscription_update}): the proration lines (and the
     * replaced prices' usage so far) billed now. It takes no discount: the period's discount was
     * taken on the period's own order.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Billed billUpdate(UUID organizationId, UUID subscriptionId, ServicePeriod period, List<Line> lines,
                             Instant at) {
        Sold sold = sold(organizationId, subscriptionId);
        Product product = products.find(organizationId, sold.productId()).orElseThrow();
        Customer customer = customers.findById(organizationId, sold.customerId()).orElseThrow();
        return bill(organizationId, subscriptionId, sold, customer, product, soldPrices(organizationId, subscriptionId),
                Reason.SUBSCRIPTION_UPDATE, period, lines, null, List.of(), at);
    }

    /** Keeps lines for the subscription's next order (Stripe's pending invoice items). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void carry(UUID organizationId, UUID subscriptionId, List<Line> lines, Instant at) {
        pending.add(organizationId, subscriptionId, lines, at);
    }

    /** One line per metered price for {@code usagePeriod}, its quantity read from the meter, priced once. */
    public List<Line> usageLines(UUID organizationId, UUID customerId, String productName, List<ProductPrice> prices,
                                 Recurrence recurrence, ServicePeriod usagePeriod) {
        List<Line> lines = new ArrayList<>();
        List<ProductPrice> metered = new ArrayList<>(prices);
        metered.sort(Comparator.comparing(ProductPrice::id));
        for (ProductPrice price : metered) {
            Price engine = price.engine(recurrence);
            if (engine.billing() == Price.Billing.IN_ARREARS) {
                Meter meter = meters.find(organizationId, price.meterId()).orElseThrow();
                BigDecimal quantity = usage.total(meter, customerId, usagePeriod.start(), usagePeriod.end());
                lines.add(new Line(InvoiceLine.priced(productName + " — " + meter.name(), usagePeriod, engine,
                        quantity, meter.unit()), price.id()));
            }
        }
        return lines;
    }

    private Sold sold(UUID organizationId, UUID subscriptionId) {
        return jdbc.sql("""
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
    }

    private List<ProductPrice> soldPrices(UUID organizationId, UUID subscriptionId) {
        List<UUID> priceIds = jdbc.sql("SELECT price_id FROM subscription_prices WHERE subscription_id = :id")
                .param("id", subscriptionId).query(UUID.class).list();
        List<ProductPrice> prices = new ArrayList<>(products.pricesByIds(organizationId, priceIds));
        prices.sort(Comparator.comparing((ProductPrice p) -> p.meterId() != null).thenComparing(p -> p.id()));
        return prices;
    }

    /**
     * Inserts the order and collects it. A sum below zero (a downgrade's credit larger than the
     * charges beside it) is never paid out: {@link CreditCarry} keeps the excess credit as pending
     * items for the next order, so this order totals zero and is paid without a charge.
     */
    private Billed bill(UUID organizationId, UUID subscriptionId, Sold sold, Customer customer, Product product,
                        List<ProductPrice> prices, Reason reason, ServicePeriod period, List<Line> all,
                        StoredDiscount discount, List<UUID> pendingIds, Instant at) {
        java.util.Currency currency = Money.currency(sold.currency());
        CreditCarry.Split split = CreditCarry.apply(all.stream().map(Line::line).toList());
        List<InvoiceLine> lines = split.billedLines();
        List<UUID> linePrices = split.billed().stream().map(p -> all.get(p.source()).priceId()).toList();
        Taxes.Quote quote = taxes.quote(customer.billingAddress(), taxId(customer), taxBehavior(prices, sold), at);
        Invoice invoice = Invoice.compute(currency, lines, discount == null ? null : discount.engine(sold.currency()),
                quote.behavior(), quote.decision());
        UUID orderId = repository.insert(new OrderRepository.NewOrder(organizationId, customer.id(), product.id(),
                subscriptionId, reason.wireName(), period.start(), period.end(), at, invoice, linePrices, quote,
                discount == null ? null : discount.id()));
        pending.billed(pendingIds, orderId);
        if (!split.carried().isEmpty()) {
            pending.add(organizationId, subscriptionId, split.carried().stream()
                    .map(p -> new Line(p.line(), all.get(p.source()).priceId())).toList(), at);
        }
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
