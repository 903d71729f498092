package dev.marginal.billing.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.customer.Customer;
import dev.marginal.billing.customer.CustomerRepository;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.billing.product.Product;
import dev.marginal.billing.product.ProductRepository;
import dev.marginal.billing.subscription.Subscription;
import dev.marginal.billing.subscription.SubscriptionRepository;
import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.Invoice;
import dev.marginal.pricing.invoice.LineKind;
import dev.marginal.pricing.invoice.TaxedLine;
import dev.marginal.billing.tax.Taxes;
import dev.marginal.pricing.tax.TaxDecision;

/** The SQL of orders and their lines. */
@Repository
public class OrderRepository {

    private final JdbcClient jdbc;
    private final CustomerRepository customers;
    private final ProductRepository products;
    private final SubscriptionRepository subscriptions;

    public OrderRepository(JdbcClient jdbc, CustomerRepository customers, ProductRepository products,
                           SubscriptionRepository subscriptions) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.products = products;
        this.subscriptions = subscriptions;
    }

    record NewOrder(UUID organizationId, UUID customerId, UUID productId, UUID subscriptionId, String billingReason,
                    Instant periodStart, Instant periodEnd, Instant at, Invoice invoice, List<UUID> priceIds,
                    Taxes.Quote tax, UUID discountId) {
    }

    UUID insert(NewOrder o) {
        UUID id = Uuid7.generate();
        Invoice invoice = o.invoice();
        TaxDecision decision = o.tax().decision();
        jdbc.sql("""
                        INSERT INTO orders (id, organization_id, customer_id, product_id, subscription_id, status,
                            billing_reason, currency, subtotal_amount, discount_amount, net_amount, tax_amount,
                            total_amount, period_start, period_end, created_at, tax_behavior, tax_treatment,
                            tax_jurisdiction, tax_rate, tax_rate_id, customer_tax_id, discount_id)
                        VALUES (:id, :org, :customer, :product, :subscription, 'pending', :reason, :currency, :subtotal,
                                :discount, :net, :tax, :total, :start, :end, :at, :taxBehavior, :treatment,
                                :jurisdiction, :rate, :rateId, :customerTaxId, :discountId)""")
                .param("id", id).param("org", o.organizationId()).param("customer", o.customerId())
                .param("product", o.productId()).param("subscription", o.subscriptionId())
                .param("reason", o.billingReason())
                .param("currency", invoice.currency().getCurrencyCode().toLowerCase(Locale.ROOT))
                .param("subtotal", invoice.subtotal().minorUnits()).param("discount", invoice.discount().minorUnits())
                .param("net", invoice.net().minorUnits()).param("tax", invoice.tax().minorUnits())
                .param("total", invoice.total().minorUnits()).param("start", at(o.periodStart()))
                .param("end", at(o.periodEnd())).param("at", at(o.at()))
                .param("taxBehavior", o.tax().behavior().name().toLowerCase(Locale.ROOT))
                .param("treatment", decision.treatment().name().toLowerCase(Locale.ROOT))
                .param("jurisdiction", decision.jurisdiction()).param("rate", decision.rate().percent())
                .param("rateId", o.tax().rateId()).param("customerTaxId", decision.customerTaxId())
                .param("discountId", o.discountId()).update();
        List<TaxedLine> lines = invoice.lines();
        for (int i = 0; i < lines.size(); i++) {
            TaxedLine line = lines.get(i);
            jdbc.sql("""
                            INSERT INTO order_items (id, order_id, position, label, kind, quantity, unit, amount,
                                tax_amount, product_price_id, start_timestamp, end_timestamp, created_at,
                                discount_amount, net_amount)
                            VALUES (:id, :order, :position, :label, :kind, :quantity, :unit, :amount, :tax, :price,
                                    :start, :end, :at, :discount, :net)""")
                    .param("id", Uuid7.generate()).param("order", id).param("position", i)
                    .param("label", line.line().description()).param("kind", line.line().kind().wireName())
                    .param("quantity", line.line().quantity()).param("unit", line.line().unit())
                    .param("amount", line.line().amount().minorUnits()).param("tax", line.tax().minorUnits())
                    .param("price", o.priceIds().get(i))
                    .param("start", line.line().period() == null ? null : at(line.line().period().start()))
                    .param("end", line.line().period() == null ? null : at(line.line().period().end()))
                    .param("at", at(o.at())).param("discount", line.discount().minorUnits())
                    .param("net", line.net().minorUnits()).update();
        }
        return id;
    }

    /** What a retry collects: the order's total and tax, locked so one collection runs at a time. */
    record Due(UUID customerId, boolean paid, Money total, Money tax, String taxJurisdiction) {
    }

    Optional<Due> lockDue(UUID organizationId, UUID id) {
        return jdbc.sql("""
                        SELECT customer_id, status, currency, total_amount, tax_amount, tax_jurisdiction FROM orders
                        WHERE organization_id = :org AND id = :id FOR UPDATE""")
                .param("org", organizationId).param("id", id)
                .query((rs, n) -> {
                    java.util.Currency currency = Money.currency(rs.getString("currency"));
                    return new Due(rs.getObject("customer_id", UUID.class), rs.getString("status").equals("paid"),
                            new Money(rs.getLong("total_amount"), currency), new Money(rs.getLong("tax_amount"), currency),
                            rs.getString("tax_jurisdiction"));
                }).optional();
    }

    void nextPaymentAttempt(UUID id, Instant at) {
        jdbc.sql("UPDATE orders SET next_payment_attempt_at = :at, modified_at = now() WHERE id = :id")
                .param("id", id).param("at", at(at)).update();
    }

    void markPaid(UUID id, long platformFee, Instant at) {
        jdbc.sql("""
                        UPDATE orders SET status = 'paid', platform_fee_amount = :fee, modified_at = :at,
                            next_payment_attempt_at = NULL
                        WHERE id = :id AND status = 'pending'""")
                .param("id", id).param("fee", platformFee).param("at", at(at)).update();
    }

    public Optional<Order> find(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT * FROM orders WHERE organization_id = :org AND id = :id")
                .param("org", organizationId).param("id", id).query((rs, n) -> row(rs)).optional()
                .map(r -> complete(organizationId, List.of(r)).get(0));
    }

    public record Listing(List<Order> items, long total) {
    }

    public Listing list(UUID organizationId, List<UUID> customerIds, List<String> externalCustomerIds,
                        List<UUID> productIds, List<UUID> subscriptionIds, List<String> statuses, String orderBy,
                        PageRequest page) {
        String where = """
                 FROM orders o WHERE o.organization_id = :org
                  AND (cardinality(CAST(:customers AS uuid[])) = 0 OR o.customer_id = ANY (CAST(:customers AS uuid[])))
                  AND (cardinality(CAST(:externals AS text[])) = 0 OR o.customer_id IN (SELECT c.id FROM customers c
                       WHERE c.organization_id = :org AND c.external_id = ANY (CAST(:externals AS text[]))))
                  AND (cardinality(CAST(:products AS uuid[])) = 0 OR o.product_id = ANY (CAST(:products AS uuid[])))
                  AND (cardinality(CAST(:subs AS uuid[])) = 0 OR o.subscription_id = ANY (CAST(:subs AS uuid[])))
                  AND (cardinality(CAST(:statuses AS text[])) = 0 OR o.status = ANY (CAST(:statuses AS text[])))
                """;
        Map<String, Object> params = Map.of("org", organizationId, "customers", customerIds.toArray(UUID[]::new),
                "externals", externalCustomerIds.toArray(String[]::new), "products", productIds.toArray(UUID[]::new),
                "subs", subscriptionIds.toArray(UUID[]::new), "statuses", statuses.toArray(String[]::new));
        long total = jdbc.sql("SELECT count(*)" + where).params(params).query(Long.class).single();
        List<Row> rows = jdbc.sql("SELECT o.*" + where + " ORDER BY " + orderBy + ", o.id LIMIT :limit OFFSET :offset")
                .params(params).param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> row(rs)).list();
        return new Listing(complete(organizationId, rows), total);
    }

    private record Row(UUID id, UUID organizationId, OffsetDateTime createdAt, OffsetDateTime modifiedAt,
                       String status, long subtotal, long discount, long net, long tax, long total, String currency,
                       String billingReason, UUID customerId, UUID productId, UUID subscriptionId, long platformFee,
                       UUID discountId, String taxBehavior, String taxTreatment, java.math.BigDecimal taxRate,
                       String taxJurisdiction, String customerTaxId, OffsetDateTime nextPaymentAttemptAt,
                       long refunded, long refundedTax, String invoiceNumber) {
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("modified_at", OffsetDateTime.class),
                rs.getString("status"), rs.getLong("subtotal_amount"), rs.getLong("discount_amount"),
                rs.getLong("net_amount"), rs.getLong("tax_amount"), rs.getLong("total_amount"),
                rs.getString("currency"), rs.getString("billing_reason"), rs.getObject("customer_id", UUID.class),
                rs.getObject("product_id", UUID.class), rs.getObject("subscription_id", UUID.class),
                rs.getLong("platform_fee_amount"), rs.getObject("discount_id", UUID.class), rs.getString("tax_behavior"),
                rs.getString("tax_treatment"), rs.getBigDecimal("tax_rate").stripTrailingZeros(),
                rs.getString("tax_jurisdiction"), rs.getString("customer_tax_id"),
                rs.getObject("next_payment_attempt_at", OffsetDateTime.class),
                rs.getLong("refunded_amount"), rs.getLong("refunded_tax_amount"), rs.getString("invoice_number"));
    }

    /**
     * Adds the customers, products, subscriptions and lines to a page of orders in a fixed number of
     * queries whatever its size (customers 1, products 2, lines 1, subscriptions 1 + theirs), never one
     * per order.
     */
    private List<Order> complete(UUID org, List<Row> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        Map<UUID, Customer> customers = this.customers.findByIds(org,
                page.stream().map(Row::customerId).collect(Collectors.toSet()));
        Map<UUID, Product> products = this.products.findByIds(org,
                page.stream().map(Row::productId).filter(Objects::nonNull).collect(Collectors.toSet()));
        Map<UUID, Subscription> subscriptions = this.subscriptions.findByIds(org,
                page.stream().map(Row::subscriptionId).filter(Objects::nonNull).collect(Collectors.toSet()));
        Map<UUID, List<Order.Item>> items = new HashMap<>();
        jdbc.sql("SELECT * FROM order_items WHERE order_id = ANY (CAST(:ids AS uuid[])) ORDER BY order_id, position")
                .param("ids", page.stream().map(Row::id).toArray(UUID[]::new))
                .query((rs, n) -> Map.entry(rs.getObject("order_id", UUID.class), item(rs))).list()
                .forEach(e -> items.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return page.stream().map(r -> complete(r, customers.get(r.customerId()),
                r.productId() == null ? null : products.get(r.productId()),
                r.subscriptionId() == null ? null : subscriptions.get(r.subscriptionId()),
                items.getOrDefault(r.id(), List.of()))).toList();
    }

    private static Order.Item item(ResultSet rs) throws SQLException {
        return new Order.Item(rs.getObject("created_at", OffsetDateTime.class), null, rs.getObject("id", UUID.class),
                rs.getString("label"), rs.getLong("amount"), rs.getLong("tax_amount"),
                LineKind.PRORATION.wireName().equals(rs.getString("kind")),
                rs.getObject("product_price_id", UUID.class), rs.getObject("start_timestamp", OffsetDateTime.class),
                rs.getObject("end_timestamp", OffsetDateTime.class), rs.getLong("discount_amount"),
                (Long) rs.getObject("net_amount"));
    }

    private static Order complete(Row r, Customer customer, Product product, Subscription subscription,
                                  List<Order.Item> items) {
        boolean paid = OrderStatus.fromWire(r.status()).isPaid();
        return new Order(r.id(), r.createdAt(), r.modifiedAt(), r.status(), paid, r.subtotal(), r.discount(), r.net(),
                r.tax(), r.total(), 0, paid ? 0 : r.total(), r.refunded(), r.refundedTax(), r.currency(),
                r.billingReason(),
                customer == null ? null : customer.billingName(), customer == null ? null : customer.billingAddress(),
                r.invoiceNumber(), r.invoiceNumber() != null, null, null, null, r.customerId(), r.productId(), r.discountId(), r.subscriptionId(), null,
                r.nextPaymentAttemptAt(), Map.of(), Map.of(), r.platformFee(), paid ? r.currency() : null, customer, product, null,
                subscription, items,
                product == null ? "Order" : product.name(), paid ? r.net() - r.refunded() : 0,
                paid ? r.tax() - r.refundedTax() : 0, r.taxBehavior(),
                r.taxTreatment(), r.taxRate(), r.taxJurisdiction(), r.customerTaxId());
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
