package dev.marginal.billing.event;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.customer.Customer;
import dev.marginal.billing.customer.CustomerRepository;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.PageRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reading events back, Polar's way: newest first, with their customer linked at read time. */
@Repository
public class EventQueries {

    /** The filters of {@code GET /v1/events/}; empty lists and nulls filter nothing. */
    public record Filter(List<UUID> customerIds, List<String> externalCustomerIds, List<String> names,
                         OffsetDateTime start, OffsetDateTime end) {
    }

    /**
     * An event belongs to the customers asked for when it names one of them by id, or by the
     * external id the customer has now (the link is made at query time, never stored).
     */
    private static final String WHERE = """
            WHERE e.organization_id = :org
              AND (CAST(:start AS timestamptz) IS NULL OR e.timestamp >= CAST(:start AS timestamptz))
              AND (CAST(:end AS timestamptz) IS NULL OR e.timestamp <= CAST(:end AS timestamptz))
              AND (cardinality(CAST(:names AS text[])) = 0 OR e.name = ANY (CAST(:names AS text[])))
              AND (cardinality(CAST(:customerIds AS uuid[])) = 0
                   OR e.customer_id = ANY (CAST(:customerIds AS uuid[]))
                   OR e.external_customer_id IN (SELECT external_id FROM customers
                                                 WHERE organization_id = :org
                                                   AND id = ANY (CAST(:customerIds AS uuid[]))))
              AND (cardinality(CAST(:externalIds AS text[])) = 0
                   OR e.external_customer_id = ANY (CAST(:externalIds AS text[]))
                   OR e.customer_id IN (SELECT id FROM customers
                                        WHERE organization_id = :org
                                          AND external_id = ANY (CAST(:externalIds AS text[]))))
            """;

    private static final String SELECT = """
            SELECT e.id, e.timestamp, e.organization_id, e.customer_id, e.external_customer_id, e.name, e.source,
                   e.metadata::text AS metadata, %s
            FROM events e
            LEFT JOIN customers c ON c.organization_id = e.organization_id AND c.deleted_at IS NULL
                 AND ((e.customer_id IS NOT NULL AND c.id = e.customer_id)
                      OR (e.customer_id IS NULL AND c.external_id = e.external_customer_id))
            """.formatted(CustomerRepository.columns("c"));

    private final JdbcClient jdbc;

    public EventQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Listing(List<EventView> items, long total) {
    }

    public Listing list(UUID organizationId, Filter filter, boolean newestFirst, PageRequest page) {
        String order = newestFirst ? "e.timestamp DESC, e.id DESC" : "e.timestamp ASC, e.id ASC";
        long total = bind(jdbc.sql("SELECT count(*) FROM events e " + WHERE), organizationId, filter)
                .query(Long.class).single();
        List<EventView> items = bind(jdbc.sql(SELECT + WHERE + " ORDER BY " + order + " LIMIT :limit OFFSET :offset"),
                organizationId, filter)
                .param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> view(rs)).list();
        return new Listing(items, total);
    }

    public Optional<EventView> find(UUID organizationId, UUID id) {
        return jdbc.sql(SELECT + " WHERE e.organization_id = :org AND e.id = :id")
                .param("org", organizationId).param("id", id)
                .query((rs, n) -> view(rs)).optional();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, UUID organizationId, Filter filter) {
        return spec.param("org", organizationId)
                .param("start", filter.start()).param("end", filter.end())
                .param("names", filter.names().toArray(String[]::new))
                .param("customerIds", filter.customerIds().toArray(UUID[]::new))
                .param("externalIds", filter.externalCustomerIds().toArray(String[]::new));
    }

    private static EventView view(ResultSet rs) throws SQLException {
        Customer customer = CustomerRepository.map(rs, "c");
        String name = rs.getString("name");
        return new EventView(rs.getObject("id", UUID.class), rs.getObject("timestamp", OffsetDateTime.class),
                rs.getObject("organization_id", UUID.class), rs.getObject("customer_id", UUID.class), customer,
                rs.getString("external_customer_id"), null, null, 0, null, name, name, rs.getString("source"),
                polarMetadata(rs.getString("metadata")));
    }

    /** Polar's {@code CostMetadataOutput} carries the amount as a decimal string; stored, it is a number. */
    static JsonNode polarMetadata(String json) {
        JsonNode metadata = JsonBody.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode cost = metadata.get("_cost");
        if (cost instanceof ObjectNode object && object.get("amount") != null && object.get("amount").isNumber()) {
            BigDecimal amount = object.get("amount").decimalValue();
            object.put("amount", amount.toPlainString());
        }
        return metadata;
    }
}
