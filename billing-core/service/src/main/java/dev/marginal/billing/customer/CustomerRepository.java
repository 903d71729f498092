package dev.marginal.billing.customer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.billing.problem.Violations;
import tools.jackson.databind.JsonNode;

/** The SQL of customers. Deleted customers are invisible to every read here. */
@Repository
public class CustomerRepository {

    /**
     * The customer columns under a table alias, named {@code <alias>_<column>}, for joins; with
     * {@code first_user_event_at}, the first event sent under the customer's id or external id
     * (two index lookups; it can predate the customer, as in Polar).
     */
    public static String columns(String alias) {
        String first = ("least((SELECT min(e1.timestamp) FROM events e1 WHERE e1.organization_id = %1$s.organization_id"
                + " AND e1.customer_id = %1$s.id), (SELECT min(e2.timestamp) FROM events e2"
                + " WHERE e2.organization_id = %1$s.organization_id AND e2.external_customer_id = %1$s.external_id))"
                + " AS %1$s_first_user_event_at").formatted(alias);
        return String.join(", ", List.of("id", "created_at", "modified_at", "metadata", "external_id", "email", "name",
                        "billing_address", "locale", "organization_id", "deleted_at", "tax_id", "tax_id_format").stream()
                .map(c -> alias + "." + c + (c.equals("metadata") || c.equals("billing_address") ? "::text" : "")
                        + " AS " + alias + "_" + c)
                .toList()) + ", " + first;
    }

    /** Reads the columns of {@link #columns(String)}; null when the join found no customer. */
    public static Customer map(ResultSet rs, String alias) throws SQLException {
        UUID id = rs.getObject(alias + "_id", UUID.class);
        if (id == null) {
            return null;
        }
        String name = rs.getString(alias + "_name");
        String address = rs.getString(alias + "_billing_address");
        return new Customer(id, rs.getObject(alias + "_created_at", OffsetDateTime.class),
                rs.getObject(alias + "_modified_at", OffsetDateTime.class), json(rs.getString(alias + "_metadata")),
                rs.getString(alias + "_external_id"), rs.getString(alias + "_email"), false, "individual", name, name,
                address == null ? null : json(address), taxId(rs.getString(alias + "_tax_id"),
                        rs.getString(alias + "_tax_id_format")), rs.getString(alias + "_locale"),
                rs.getObject(alias + "_organization_id", UUID.class), null,
                rs.getObject(alias + "_deleted_at", OffsetDateTime.class),
                rs.getObject(alias + "_first_user_event_at", OffsetDateTime.class), null);
    }

    /** Polar's {@code tax_id}: {@code [value, format]}, or null. */
    private static List<Object> taxId(String value, String format) {
        return value == null ? null : List.of(value, format);
    }

    private static JsonNode json(String text) {
        return JsonBody.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private final JdbcClient jdbc;

    public CustomerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static final String SELECT = "SELECT " + columns("c") + " FROM customers c ";

    public Optional<Customer> findById(UUID organizationId, UUID id) {
        return jdbc.sql(SELECT + "WHERE c.organization_id = :org AND c.id = :id AND c.deleted_at IS NULL")
                .param("org", organizationId).param("id", id)
                .query((rs, n) -> map(rs, "c")).optional();
    }

    /** Live customers by id, in one query (a page of subscriptions or orders embeds its customers). */
    public Map<UUID, Customer> findByIds(UUID organizationId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Customer> out = new HashMap<>();
        jdbc.sql(SELECT + "WHERE c.organization_id = :org AND c.id = ANY (CAST(:ids AS uuid[])) AND c.deleted_at IS NULL")
                .param("org", organizationId).param("ids", ids.toArray(UUID[]::new))
                .query((rs, n) -> map(rs, "c")).list().forEach(c -> out.put(c.id(), c));
        return out;
    }

    public Optional<Customer> findByExternalId(UUID organizationId, String externalId) {
        return jdbc.sql(SELECT + "WHERE c.organization_id = :org AND c.external_id = :ext AND c.deleted_at IS NULL")
                .param("org", organizationId).param("ext", externalId)
                .query((rs, n) -> map(rs, "c")).optional();
    }

    public record Listing(List<Customer> items, long total) {
    }

    /** {@code query} matches email, name or external id, case-insensitively, as Polar's search does. */
    public Listing list(UUID organizationId, String email, String query, String orderBy, PageRequest page) {
        String where = """
                WHERE c.organization_id = :org AND c.deleted_at IS NULL
                  AND (CAST(:email AS text) IS NULL OR lower(c.email) = lower(CAST(:email AS text)))
                  AND (CAST(:query AS text) IS NULL OR c.email ILIKE :pattern OR c.name ILIKE :pattern
                       OR c.external_id ILIKE :pattern)
                """;
        String pattern = query == null ? null : "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        long total = jdbc.sql("SELECT count(*) FROM customers c " + where)
                .param("org", organizationId).param("email", email).param("query", query).param("pattern", pattern)
                .query(Long.class).single();
        List<Customer> items = jdbc.sql(SELECT + where + " ORDER BY " + orderBy + " LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("email", email).param("query", query).param("pattern", pattern)
                .param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> map(rs, "c")).list();
        return new Listing(items, total);
    }

    /** Live customers, optionally only those named by id or external id, oldest first. */
    public List<Customer> select(UUID organizationId, List<UUID> ids, List<String> externalIds) {
        return jdbc.sql(SELECT + """
                        WHERE c.organization_id = :org AND c.deleted_at IS NULL
                          AND (cardinality(CAST(:ids AS uuid[])) = 0 AND cardinality(CAST(:ext AS text[])) = 0
                               OR c.id = ANY (CAST(:ids AS uuid[])) OR c.external_id = ANY (CAST(:ext AS text[])))
                        ORDER BY c.created_at, c.id""")
                .param("org", organizationId).param("ids", ids.toArray(UUID[]::new))
                .param("ext", externalIds.toArray(String[]::new))
                .query((rs, n) -> map(rs, "c")).list();
    }

    /** Inserts, or reports which unique field is taken as a 422 on that field. */
    public Customer insert(UUID organizationId, CustomerDraft draft) {
        try {
            return jdbc.sql("""
                            INSERT INTO customers AS c (id, organization_id, external_id, email, name, billing_address,
                                                   locale, metadata, tax_id, tax_id_format)
                            VALUES (:id, :org, :ext, :email, :name, CAST(:address AS jsonb), :locale,
                                    CAST(:metadata AS jsonb), :taxId, :taxIdFormat)
                            RETURNING\s""" + columns("c"))
                    .param("id", Uuid7.generate()).param("org", organizationId).param("ext", draft.externalId())
                    .param("email", draft.email()).param("name", draft.name())
                    .param("address", text(draft.billingAddress())).param("locale", draft.locale())
                    .param("metadata", text(draft.metadata()))
                    .param("taxId", draft.taxId() == null ? null : draft.taxId().value())
                    .param("taxIdFormat", draft.taxId() == null ? null : draft.taxId().format())
                    .query((rs, n) -> map(rs, "c")).single();
        } catch (DuplicateKeyException e) {
            throw duplicate(e);
        }
    }

    /** Applies the fields the draft sets; empty when there is no such live customer. */
    public Optional<Customer> update(UUID organizationId, UUID id, CustomerDraft draft) {
        try {
            return jdbc.sql("""
                            UPDATE customers AS c SET
                                external_id = coalesce(:ext, external_id),
                                email = coalesce(:email, email),
                                name = CASE WHEN :clearName THEN NULL ELSE coalesce(:name, name) END,
                                billing_address = CASE WHEN :clearAddress THEN NULL
                                                       ELSE coalesce(CAST(:address AS jsonb), billing_address) END,
                                locale = CASE WHEN :clearLocale THEN NULL ELSE coalesce(:locale, locale) END,
                                metadata = coalesce(CAST(:metadata AS jsonb), metadata),
                                tax_id = CASE WHEN :clearTaxId THEN NULL ELSE coalesce(:taxId, tax_id) END,
                                tax_id_format = CASE WHEN :clearTaxId THEN NULL
                                                     ELSE coalesce(:taxIdFormat, tax_id_format) END,
                                modified_at = now()
                            WHERE organization_id = :org AND id = :id AND deleted_at IS NULL
                            RETURNING\s""" + columns("c"))
                    .param("org", organizationId).param("id", id).param("ext", draft.externalId())
                    .param("email", draft.email()).param("name", draft.name()).param("clearName", draft.clearName())
                    .param("address", text(draft.billingAddress())).param("clearAddress", draft.clearBillingAddress())
                    .param("locale", draft.locale()).param("clearLocale", draft.clearLocale())
                    .param("metadata", text(draft.metadata())).param("clearTaxId", draft.clearTaxId())
                    .param("taxId", draft.taxId() == null ? null : draft.taxId().value())
                    .param("taxIdFormat", draft.taxId() == null ? null : draft.taxId().format())
                    .query((rs, n) -> map(rs, "c")).optional();
        } catch (DuplicateKeyException e) {
            throw duplicate(e);
        }
    }

    /** Soft delete: events keep pointing at the customer; reads stop seeing it. */
    public boolean softDelete(UUID organizationId, UUID id) {
        return jdbc.sql("""
                        UPDATE customers SET deleted_at = now(), modified_at = now()
                        WHERE organization_id = :org AND id = :id AND deleted_at IS NULL""")
                .param("org", organizationId).param("id", id).update() == 1;
    }

    private static String text(JsonNode node) {
        return node == null ? null : JsonBody.MAPPER.writeValueAsString(node);
    }

    private static RuntimeException duplicate(DuplicateKeyException e) {
        Violations violations = new Violations();
        String message = String.valueOf(e.getMessage());
        if (message.contains("customers_organization_external_id")) {
            violations.add(List.of("body", "external_id"), "A customer with this external ID already exists.",
                    "value_error");
        } else if (message.contains("customers_organization_email")) {
            violations.add(List.of("body", "email"), "A customer with this email address already exists.",
                    "value_error");
        } else {
            return e;
        }
        violations.throwIfAny();
        return e;
    }
}
