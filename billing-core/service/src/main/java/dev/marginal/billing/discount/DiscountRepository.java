package dev.marginal.billing.discount;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.pricing.invoice.DiscountDuration;
import tools.jackson.databind.JsonNode;

/** The SQL of discounts, their product restrictions and their redemptions. Deleted ones are invisible. */
@Repository
public class DiscountRepository {

    private static final String SELECT = """
            SELECT d.*, d.amounts::text AS amounts_text, d.metadata::text AS metadata_text,
                   (SELECT count(*) FROM discount_redemptions r WHERE r.discount_id = d.id) AS redemptions_count,
                   ARRAY(SELECT dp.product_id FROM discount_products dp WHERE dp.discount_id = d.id
                         ORDER BY dp.product_id) AS product_ids
            FROM discounts d WHERE d.deleted_at IS NULL AND d.organization_id = :org""";

    private final JdbcClient jdbc;

    public DiscountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    UUID insert(UUID organizationId, DiscountDraft d) {
        UUID id = Uuid7.generate();
        jdbc.sql("""
                        INSERT INTO discounts (id, organization_id, name, code, type, basis_points, amounts, duration,
                                               duration_in_months, starts_at, ends_at, max_redemptions, metadata)
                        VALUES (:id, :org, :name, :code, :type, :bp, CAST(:amounts AS jsonb), :duration, :months,
                                :startsAt, :endsAt, :max, CAST(:metadata AS jsonb))""")
                .param("id", id).param("org", organizationId).param("name", d.name()).param("code", d.code())
                .param("type", d.type()).param("bp", d.basisPoints())
                .param("amounts", d.amounts() == null ? null : JsonBody.MAPPER.writeValueAsString(d.amounts()))
                .param("duration", d.duration().wireName()).param("months", d.durationInMonths())
                .param("startsAt", d.startsAt()).param("endsAt", d.endsAt()).param("max", d.maxRedemptions())
                .param("metadata", JsonBody.MAPPER.writeValueAsString(d.metadata())).update();
        for (UUID product : d.productIds()) {
            jdbc.sql("INSERT INTO discount_products (discount_id, product_id) VALUES (:d, :p)")
                    .param("d", id).param("p", product).update();
        }
        return id;
    }

    public Optional<StoredDiscount> find(UUID organizationId, UUID id) {
        return jdbc.sql(SELECT + " AND d.id = :id").param("org", organizationId).param("id", id)
                .query((rs, n) -> row(rs)).optional();
    }

    /** A discount a subscription redeemed, deleted since or not: its orders keep it for its duration. */
    public Optional<StoredDiscount> findRedeemed(UUID organizationId, UUID id) {
        return jdbc.sql(SELECT.replace("d.deleted_at IS NULL AND ", "") + " AND d.id = :id")
                .param("org", organizationId).param("id", id).query((rs, n) -> row(rs)).optional();
    }

    /** The discount, its row locked until the transaction ends, so redemptions are counted one at a time. */
    public Optional<StoredDiscount> lock(UUID organizationId, UUID id) {
        jdbc.sql("SELECT id FROM discounts WHERE organization_id = :org AND id = :id FOR UPDATE")
                .param("org", organizationId).param("id", id).query(UUID.class).optional();
        return find(organizationId, id);
    }

    public record Listing(List<StoredDiscount> items, long total) {
    }

    Listing list(UUID organizationId, String orderBy, PageRequest page) {
        long total = jdbc.sql("SELECT count(*) FROM discounts WHERE deleted_at IS NULL AND organization_id = :org")
                .param("org", organizationId).query(Long.class).single();
        List<StoredDiscount> items = jdbc.sql("SELECT * FROM (" + SELECT + ") d ORDER BY " + orderBy
                        + ", d.id LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> row(rs)).list();
        return new Listing(items, total);
    }

    boolean softDelete(UUID organizationId, UUID id) {
        return jdbc.sql("""
                        UPDATE discounts SET deleted_at = now(), modified_at = now()
                        WHERE organization_id = :org AND id = :id AND deleted_at IS NULL""")
                .param("org", organizationId).param("id", id).update() == 1;
    }

    void redeem(UUID discountId, UUID subscriptionId, UUID customerId, Instant at) {
        jdbc.sql("""
                        INSERT INTO discount_redemptions (id, discount_id, subscription_id, customer_id, redeemed_at)
                        VALUES (:id, :discount, :sub, :customer, :at)""")
                .param("id", Uuid7.generate()).param("discount", discountId).param("sub", subscriptionId)
                .param("customer", customerId).param("at", at.atOffset(ZoneOffset.UTC)).update();
        jdbc.sql("UPDATE subscriptions SET discount_id = :discount WHERE id = :sub")
                .param("discount", discountId).param("sub", subscriptionId).update();
    }

    private static StoredDiscount row(ResultSet rs) throws SQLException {
        String amounts = rs.getString("amounts_text");
        Map<String, Long> parsed = null;
        if (amounts != null) {
            parsed = new LinkedHashMap<>();
            JsonNode node = JsonBody.parse(amounts.getBytes(StandardCharsets.UTF_8));
            for (var entry : node.properties()) {
                parsed.put(entry.getKey(), entry.getValue().longValue());
            }
        }
        UUID[] products = (UUID[]) rs.getArray("product_ids").getArray();
        return new StoredDiscount(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("name"), rs.getString("code"), rs.getString("type"), (Integer) rs.getObject("basis_points"),
                parsed, DiscountDuration.fromWire(rs.getString("duration")), (Integer) rs.getObject("duration_in_months"),
                rs.getObject("starts_at", OffsetDateTime.class), rs.getObject("ends_at", OffsetDateTime.class),
                (Integer) rs.getObject("max_redemptions"), rs.getLong("redemptions_count"),
                JsonBody.parse(rs.getString("metadata_text").getBytes(StandardCharsets.UTF_8)), List.of(products),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("modified_at", OffsetDateTime.class));
    }
}
