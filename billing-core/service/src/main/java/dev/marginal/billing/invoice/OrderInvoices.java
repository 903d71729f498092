package dev.marginal.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.order.Order;
import dev.marginal.billing.order.OrderRepository;
import dev.marginal.billing.order.OrderStatus;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;
import tools.jackson.databind.JsonNode;

/**
 * Polar's order invoices. Generating one gives a paid order its invoice number, once: the number
 * comes from a gapless per-organisation, per-year counter ({@code INV-2025-0001}, the format Polar's
 * documentation shows), taken in the same transaction as the order's update, so a failed request
 * leaves no hole and a repeated one keeps the first number.
 */
@Service
public class OrderInvoices {

    private final JdbcClient jdbc;
    private final OrderRepository orders;
    private final AuditLog audit;
    private final BillingClock clock;

    public OrderInvoices(JdbcClient jdbc, OrderRepository orders, AuditLog audit, BillingClock clock) {
        this.jdbc = jdbc;
        this.orders = orders;
        this.audit = audit;
        this.clock = clock;
    }

    private record Locked(String status, String invoiceNumber, String billingName, JsonNode billingAddress) {
    }

    /** Gives the order its invoice number unless it has one; answers the number. */
    @Transactional
    public String generate(UUID organizationId, UUID orderId) {
        // The order's row lock makes concurrent requests for one order take one number between them.
        Locked locked = jdbc.sql("""
                        SELECT o.status, o.invoice_number, c.name, c.billing_address FROM orders o
                        JOIN customers c ON c.id = o.customer_id
                        WHERE o.organization_id = :org AND o.id = :id FOR UPDATE OF o""")
                .param("org", organizationId).param("id", orderId)
                .query((rs, n) -> new Locked(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4) == null ? null : dev.marginal.billing.http.JsonBody.parse(
                                rs.getString(4).getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .optional().orElseThrow(() -> ApiException.notFound("Order not found."));
        if (locked.invoiceNumber() != null) {
            return locked.invoiceNumber();
        }
        if (!OrderStatus.fromWire(locked.status()).isPaid()) {
            throw new ApiException(ProblemType.ORDER_NOT_ELIGIBLE_FOR_INVOICE,
                    "Order is " + locked.status() + ": an invoice is issued once the order is paid.");
        }
        if (locked.billingName() == null || locked.billingName().isBlank() || !hasCountry(locked.billingAddress())) {
            throw new ApiException(ProblemType.MISSING_INVOICE_BILLING_DETAILS,
                    "The customer needs a name and a billing address with a country before an invoice can be issued.");
        }
        Order before = orders.find(organizationId, orderId).orElseThrow();
        Instant now = clock.now(organizationId);
        int year = now.atZone(ZoneOffset.UTC).getYear();
        long next = jdbc.sql("""
                        INSERT INTO invoice_number_counters (organization_id, year, last_number)
                        VALUES (:org, :year, 1)
                        ON CONFLICT (organization_id, year)
                        DO UPDATE SET last_number = invoice_number_counters.last_number + 1
                        RETURNING last_number""")
                .param("org", organizationId).param("year", year).query(Long.class).single();
        String number = "INV-%d-%04d".formatted(year, next);
        jdbc.sql("""
                        UPDATE orders SET invoice_number = :number, invoice_generated_at = :at, modified_at = :at
                        WHERE id = :id""")
                .param("number", number).param("at", now.atOffset(ZoneOffset.UTC)).param("id", orderId).update();
        audit.record(organizationId, "order.invoice_generated", "order", orderId, before,
                orders.find(organizationId, orderId).orElseThrow());
        return number;
    }

    private static boolean hasCountry(JsonNode address) {
        return address != null && address.isObject() && address.has("country") && address.get("country").isString()
                && !address.get("country").stringValue().isBlank();
    }

    /** An order's invoice number, if it has one; another organisation's order is empty. */
    public Optional<String> number(UUID organizationId, UUID orderId) {
        return jdbc.sql("SELECT invoice_number FROM orders WHERE organization_id = :org AND id = :id")
                .param("org", organizationId).param("id", orderId)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1))).optional().orElseThrow(
                        () -> ApiException.notFound("Order not found."));
    }

    /** A line as the invoice prints it: its quantity and unit, which the order's items leave out. */
    public record Quantity(BigDecimal quantity, String unit) {
    }

    /** What an invoice prints, found by the order id alone: the signed URL has already proven access. */
    public Optional<InvoiceDocument.Content> content(UUID orderId) {
        record Head(UUID organizationId, String organizationName, String invoiceNumber, Instant issuedAt,
                    String taxType) {
        }
        Optional<Head> head = jdbc.sql("""
                        SELECT o.organization_id, g.name, o.invoice_number, o.invoice_generated_at, r.tax_type
                        FROM orders o JOIN organizations g ON g.id = o.organization_id
                        LEFT JOIN tax_rates r ON r.id = o.tax_rate_id
                        WHERE o.id = :id AND o.invoice_number IS NOT NULL""")
                .param("id", orderId)
                .query((rs, n) -> new Head(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getObject(4, java.time.OffsetDateTime.class).toInstant(), rs.getString(5)))
                .optional();
        return head.map(h -> {
            Order order = orders.find(h.organizationId(), orderId).orElseThrow();
            List<Quantity> quantities = jdbc.sql(
                            "SELECT quantity, unit FROM order_items WHERE order_id = :id ORDER BY position")
                    .param("id", orderId)
                    .query((rs, n) -> new Quantity(rs.getBigDecimal(1), rs.getString(2))).list();
            return new InvoiceDocument.Content(h.invoiceNumber(), h.issuedAt(), h.organizationName(), order,
                    quantities, h.taxType());
        });
    }
}
