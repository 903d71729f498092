package dev.marginal.billing.payout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.PageRequest;
import tools.jackson.databind.JsonNode;

/** The SQL of payouts. */
@Repository
public class PayoutRepository {

    private final JdbcClient jdbc;

    public PayoutRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Serialises payouts of one organisation and currency until the transaction ends, so two
     * payouts can never both spend the same available balance. An advisory lock, not a row lock on
     * the organisation, so ingest and everything else that references the organisation never waits.
     */
    void lockBalance(UUID organizationId, String currency) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "payout:" + organizationId + ":" + currency).query().singleRow();
    }

    void insert(UUID id, UUID organizationId, long amount, String currency, String description, JsonNode metadata,
                Instant arrival, Instant at) {
        jdbc.sql("""
                        INSERT INTO payouts (id, organization_id, amount, currency, description, metadata, arrival_date,
                                             created_at)
                        VALUES (:id, :org, :amount, :currency, :description, CAST(:metadata AS jsonb), :arrival, :at)""")
                .param("id", id).param("org", organizationId).param("amount", amount).param("currency", currency)
                .param("description", description).param("metadata", JsonBody.MAPPER.writeValueAsString(metadata))
                .param("arrival", arrival.atOffset(ZoneOffset.UTC)).param("at", at.atOffset(ZoneOffset.UTC)).update();
    }

    public Optional<Payout> find(UUID organizationId, UUID id, Instant now) {
        return jdbc.sql("SELECT * FROM payouts WHERE organization_id = :org AND id = :id")
                .param("org", organizationId).param("id", id).query((rs, n) -> row(rs, now)).optional();
    }

    public record Listing(List<Payout> items, long total) {
    }

    public Listing list(UUID organizationId, List<String> currencies, PageRequest page, Instant now) {
        String where = """
                 FROM payouts p WHERE p.organization_id = :org
                  AND (cardinality(CAST(:currencies AS text[])) = 0 OR p.currency = ANY (CAST(:currencies AS text[])))
                """;
        String[] currencyArray = currencies.toArray(String[]::new);
        long total = jdbc.sql("SELECT count(*)" + where).param("org", organizationId)
                .param("currencies", currencyArray).query(Long.class).single();
        List<Payout> items = jdbc.sql("SELECT p.*" + where + " ORDER BY p.created_at DESC, p.id DESC LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("currencies", currencyArray).param("limit", page.limit())
                .param("offset", page.offset()).query((rs, n) -> row(rs, now)).list();
        return new Listing(items, total);
    }

    private static Payout row(ResultSet rs, Instant now) throws SQLException {
        OffsetDateTime arrival = rs.getObject("arrival_date", OffsetDateTime.class);
        return new Payout(rs.getObject("id", UUID.class), "payout", rs.getObject("created_at", OffsetDateTime.class),
                rs.getLong("amount"), rs.getString("currency"), arrival.toInstant().isAfter(now) ? "in_transit" : "paid",
                arrival, rs.getString("description"), JsonBody.MAPPER.readTree(rs.getString("metadata")),
                rs.getObject("organization_id", UUID.class));
    }
}
