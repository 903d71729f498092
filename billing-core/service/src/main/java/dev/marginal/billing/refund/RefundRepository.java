package dev.marginal.billing.refund;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.order.OrderStatus;
import tools.jackson.databind.JsonNode;

/** The SQL of refunds, and of the order and payment a refund reads and moves. */
@Repository
public class RefundRepository {

    private final JdbcClient jdbc;

    public RefundRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What a refund needs of its order, read under the order's row lock. */
    record Refundable(UUID orderId, UUID customerId, UUID subscriptionId, OrderStatus status, String currency,
                      long net, long tax, long refunded, long refundedTax, String taxJurisdiction) {
    }

    /**
     * Locks the organisation's order until the transaction ends: concurrent refunds of one order
     * run one after the other, each seeing what the one before refunded.
     */
    Optional<Refundable> lockOrder(UUID organizationId, UUID orderId) {
        return jdbc.sql("""
                        SELECT id, customer_id, subscription_id, status, currency, net_amount, tax_amount,
                               refunded_amount, refunded_tax_amount, tax_jurisdiction
                        FROM orders WHERE organization_id = :org AND id = :id FOR UPDATE""")
                .param("org", organizationId).param("id", orderId)
                .query((rs, n) -> new Refundable(rs.getObject("id", UUID.class), rs.getObject("customer_id", UUID.class),
                        rs.getObject("subscription_id", UUID.class), OrderStatus.fromWire(rs.getString("status")),
                        rs.getString("currency"), rs.getLong("net_amount"), rs.getLong("tax_amount"),
                        rs.getLong("refunded_amount"), rs.getLong("refunded_tax_amount"),
                        rs.getString("tax_jurisdiction")))
                .optional();
    }

    record PaidCharge(UUID paymentId, String processor, String reference) {
    }

    Optional<PaidCharge> succeededPayment(UUID orderId) {
        return jdbc.sql("SELECT id, processor, processor_reference FROM payments WHERE order_id = :order AND status = 'succeeded'")
                .param("order", orderId)
                .query((rs, n) -> new PaidCharge(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                .optional();
    }

    /** A dispute that has not been won has already taken the money back: nothing is left to refund. */
    boolean hasUnwonDispute(UUID orderId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM disputes WHERE order_id = :order AND status <> 'won')")
                .param("order", orderId).query(Boolean.class).single();
    }

    record NewRefund(UUID id, UUID organizationId, Refundable order, UUID paymentId, String status, RefundReason reason,
                     long amount, long taxAmount, String comment, boolean revokeBenefits, JsonNode metadata,
                     String processor, String processorReference, String failureReason, Instant at) {
    }

    void insert(NewRefund r) {
        jdbc.sql("""
                        INSERT INTO refunds (id, organization_id, order_id, payment_id, subscription_id, customer_id, status,
                            reason, amount, tax_amount, currency, comment, revoke_benefits, metadata, processor,
                            processor_reference, failure_reason, created_at)
                        VALUES (:id, :org, :order, :payment, :subscription, :customer, :status, :reason, :amount, :tax,
                                :currency, :comment, :revoke, CAST(:metadata AS jsonb), :processor, :reference, :failure,
                                :at)""")
                .param("id", r.id()).param("org", r.organizationId()).param("order", r.order().orderId())
                .param("payment", r.paymentId()).param("subscription", r.order().subscriptionId())
                .param("customer", r.order().customerId()).param("status", r.status())
                .param("reason", r.reason().wireName()).param("amount", r.amount()).param("tax", r.taxAmount())
                .param("currency", r.order().currency()).param("comment", r.comment())
                .param("revoke", r.revokeBenefits()).param("metadata", JsonBody.MAPPER.writeValueAsString(r.metadata()))
                .param("processor", r.processor()).param("reference", r.processorReference())
                .param("failure", r.failureReason()).param("at", r.at().atOffset(ZoneOffset.UTC)).update();
    }

    void recordOnOrder(UUID orderId, long refunded, long refundedTax, OrderStatus status, Instant at) {
        jdbc.sql("""
                        UPDATE orders SET refunded_amount = :refunded, refunded_tax_amount = :tax, status = :status,
                                          modified_at = :at
                        WHERE id = :id""")
                .param("refunded", refunded).param("tax", refundedTax).param("status", status.wireName())
                .param("at", at.atOffset(ZoneOffset.UTC)).param("id", orderId).update();
    }

    public Optional<Refund> find(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT * FROM refunds WHERE organization_id = :org AND id = :id")
                .param("org", organizationId).param("id", id).query((rs, n) -> row(rs)).optional();
    }

    public record Listing(List<Refund> items, long total) {
    }

    public Listing list(UUID organizationId, List<UUID> ids, List<UUID> orderIds, List<UUID> subscriptionIds,
                        List<UUID> customerIds, List<String> externalCustomerIds, Boolean succeeded, String orderBy,
                        PageRequest page) {
        String where = """
                 FROM refunds r WHERE r.organization_id = :org
                  AND (cardinality(CAST(:ids AS uuid[])) = 0 OR r.id = ANY (CAST(:ids AS uuid[])))
                  AND (cardinality(CAST(:orders AS uuid[])) = 0 OR r.order_id = ANY (CAST(:orders AS uuid[])))
                  AND (cardinality(CAST(:subs AS uuid[])) = 0 OR r.subscription_id = ANY (CAST(:subs AS uuid[])))
                  AND (cardinality(CAST(:customers AS uuid[])) = 0 OR r.customer_id = ANY (CAST(:customers AS uuid[])))
                  AND (cardinality(CAST(:externals AS text[])) = 0 OR r.customer_id IN (SELECT c.id FROM customers c
                       WHERE c.organization_id = :org AND c.external_id = ANY (CAST(:externals AS text[]))))
                  AND (CAST(:succeeded AS boolean) IS NULL OR (r.status = 'succeeded') = CAST(:succeeded AS boolean))
                """;
        Map<String, Object> params = new java.util.HashMap<>(Map.of("org", organizationId,
                "ids", ids.toArray(UUID[]::new), "orders", orderIds.toArray(UUID[]::new),
                "subs", subscriptionIds.toArray(UUID[]::new), "customers", customerIds.toArray(UUID[]::new),
                "externals", externalCustomerIds.toArray(String[]::new)));
        params.put("succeeded", succeeded);
        long total = jdbc.sql("SELECT count(*)" + where).params(params).query(Long.class).single();
        List<Refund> items = jdbc.sql("SELECT r.*" + where + " ORDER BY " + orderBy + ", r.id LIMIT :limit OFFSET :offset")
                .params(params).param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> row(rs)).list();
        return new Listing(items, total);
    }

    private static Refund row(ResultSet rs) throws SQLException {
        return new Refund(rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("modified_at", OffsetDateTime.class), rs.getObject("id", UUID.class),
                JsonBody.MAPPER.readTree(rs.getString("metadata")), rs.getString("status"), rs.getString("reason"),
                rs.getLong("amount"), rs.getLong("tax_amount"), rs.getString("currency"),
                rs.getObject("organization_id", UUID.class), rs.getObject("order_id", UUID.class),
                rs.getObject("subscription_id", UUID.class), rs.getObject("customer_id", UUID.class),
                rs.getBoolean("revoke_benefits"), null);
    }
}
