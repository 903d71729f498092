package dev.marginal.billing.dispute;

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

import dev.marginal.billing.clock.TestClockScope;
import dev.marginal.billing.customer.CustomerRepository;
import dev.marginal.billing.http.PageRequest;

/** The SQL of disputes. */
@Repository
public class DisputeRepository {

    private final JdbcClient jdbc;
    private final CustomerRepository customers;

    public DisputeRepository(JdbcClient jdbc, CustomerRepository customers) {
        this.jdbc = jdbc;
        this.customers = customers;
    }

    record NewDispute(UUID id, UUID organizationId, UUID orderId, UUID paymentId, UUID customerId, long amount,
                      long taxAmount, String currency, long fee, String reason, Instant evidenceDueBy, String processor,
                      String reference, Instant at) {
    }

    void insert(NewDispute d) {
        jdbc.sql("""
                        INSERT INTO disputes (id, organization_id, order_id, payment_id, customer_id, status, amount,
                            tax_amount, currency, fee_amount, reason, evidence_due_by, processor, processor_reference,
                            opened_correlation_key, created_at)
                        VALUES (:id, :org, :order, :payment, :customer, 'needs_response', :amount, :tax, :currency, :fee,
                                :reason, :due, :processor, :reference, :id, :at)""")
                .param("id", d.id()).param("org", d.organizationId()).param("order", d.orderId())
                .param("payment", d.paymentId()).param("customer", d.customerId()).param("amount", d.amount())
                .param("tax", d.taxAmount()).param("currency", d.currency()).param("fee", d.fee())
                .param("reason", d.reason()).param("due", at(d.evidenceDueBy())).param("processor", d.processor())
                .param("reference", d.reference()).param("at", at(d.at())).update();
    }

    /** What the rules need of a dispute, read under its row lock. */
    record Locked(UUID id, UUID organizationId, UUID orderId, UUID paymentId, UUID customerId, DisputeStatus status,
                  long amount, long taxAmount, String currency, String reference, String taxJurisdiction) {
    }

    private static final String LOCKED_COLUMNS = """
            SELECT id, organization_id, order_id, payment_id, customer_id, status, amount, tax_amount, currency,
                   processor_reference,
                   (SELECT o.tax_jurisdiction FROM orders o WHERE o.id = disputes.order_id) AS tax_jurisdiction
            FROM disputes""";

    Optional<Locked> lock(UUID organizationId, UUID id) {
        return jdbc.sql(LOCKED_COLUMNS + " WHERE organization_id = :org AND id = :id FOR UPDATE")
                .param("org", organizationId).param("id", id).query((rs, n) -> locked(rs)).optional();
    }

    /** Open disputes whose response window has closed; ones another sweep holds are skipped, not waited for. */
    /** As {@link dev.marginal.billing.subscription.Subscriptions#renew}: real-time organisations, or one test clock's. */
    List<Locked> lockDue(Instant now, UUID testClockOrganization, int limit) {
        return jdbc.sql(LOCKED_COLUMNS + """
                         WHERE status IN ('needs_response', 'under_review') AND evidence_due_by <= :now
                           AND %s
                        ORDER BY evidence_due_by, id LIMIT :limit FOR UPDATE SKIP LOCKED""".formatted(
                        TestClockScope.sql("disputes.organization_id")))
                .param("now", at(now)).param("org", testClockOrganization).param("limit", limit)
                .query((rs, n) -> locked(rs)).list();
    }

    private static Locked locked(ResultSet rs) throws SQLException {
        return new Locked(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("order_id", UUID.class), rs.getObject("payment_id", UUID.class),
                rs.getObject("customer_id", UUID.class), DisputeStatus.fromWire(rs.getString("status")),
                rs.getLong("amount"), rs.getLong("tax_amount"), rs.getString("currency"),
                rs.getString("processor_reference"), rs.getString("tax_jurisdiction"));
    }

    void resolve(UUID id, DisputeStatus status, UUID reversalKey, Instant at) {
        jdbc.sql("""
                        UPDATE disputes SET status = :status, reversal_correlation_key = :reversal, resolved_at = :at,
                                            modified_at = :at
                        WHERE id = :id""")
                .param("status", status.wireName()).param("reversal", reversalKey).param("at", at(at)).param("id", id)
                .update();
    }

    public Optional<Dispute> find(UUID organizationId, UUID id, Instant now) {
        return jdbc.sql("SELECT * FROM disputes WHERE organization_id = :org AND id = :id")
                .param("org", organizationId).param("id", id).query((rs, n) -> row(rs, now)).optional()
                .map(this::complete);
    }

    public record Listing(List<Dispute> items, long total) {
    }

    public Listing list(UUID organizationId, List<UUID> orderIds, List<String> statuses, String orderBy,
                        PageRequest page, Instant now) {
        String where = """
                 FROM disputes d WHERE d.organization_id = :org
                  AND (cardinality(CAST(:orders AS uuid[])) = 0 OR d.order_id = ANY (CAST(:orders AS uuid[])))
                  AND (cardinality(CAST(:statuses AS text[])) = 0 OR d.status = ANY (CAST(:statuses AS text[])))
                """;
        Map<String, Object> params = Map.of("org", organizationId, "orders", orderIds.toArray(UUID[]::new),
                "statuses", statuses.toArray(String[]::new));
        long total = jdbc.sql("SELECT count(*)" + where).params(params).query(Long.class).single();
        List<Row> rows = jdbc.sql("SELECT d.*" + where + " ORDER BY " + orderBy + ", d.id LIMIT :limit OFFSET :offset")
                .params(params).param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> row(rs, now)).list();
        return new Listing(rows.stream().map(this::complete).toList(), total);
    }

    /** A dispute read without its customer, which is added once the result set is closed. */
    private record Row(Dispute dispute, UUID organizationId, UUID customerId) {
    }

    private Dispute complete(Row row) {
        Dispute d = row.dispute();
        return new Dispute(d.createdAt(), d.modifiedAt(), d.id(), d.status(), d.resolved(), d.closed(), d.amount(),
                d.taxAmount(), d.currency(), d.reason(), d.evidenceDueBy(), d.pastDue(), d.orderId(), d.paymentId(),
                customers.findById(row.organizationId(), row.customerId()).orElse(null), d.caseId());
    }

    private static Row row(ResultSet rs, Instant now) throws SQLException {
        DisputeStatus status = DisputeStatus.fromWire(rs.getString("status"));
        OffsetDateTime due = rs.getObject("evidence_due_by", OffsetDateTime.class);
        UUID org = rs.getObject("organization_id", UUID.class);
        UUID customerId = rs.getObject("customer_id", UUID.class);
        return new Row(new Dispute(rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("modified_at", OffsetDateTime.class), rs.getObject("id", UUID.class), status.wireName(),
                status.isResolved(), status.isClosed(), rs.getLong("amount"), rs.getLong("tax_amount"),
                rs.getString("currency"), rs.getString("reason"), status.isOpen() ? due : null,
                status.isOpen() && due != null && due.toInstant().isBefore(now), rs.getObject("order_id", UUID.class),
                rs.getObject("payment_id", UUID.class), null, null), org, customerId);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
