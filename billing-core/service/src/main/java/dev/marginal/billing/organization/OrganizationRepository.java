package dev.marginal.billing.organization;

import java.sql.Array;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.id.Uuid7;

/** The SQL of organisations and their access tokens. */
@Repository
public class OrganizationRepository {

    private final JdbcClient jdbc;

    public OrganizationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts unless the slug is taken; concurrent bootstraps of one slug both see one organisation. */
    public Optional<Organization> insertIfAbsent(String name, String slug) {
        return jdbc.sql("""
                        INSERT INTO organizations (id, name, slug)
                        VALUES (:id, :name, :slug)
                        ON CONFLICT (slug) DO NOTHING
                        RETURNING id, name, slug, created_at
                        """)
                .param("id", Uuid7.generate())
                .param("name", name)
                .param("slug", slug)
                .query(OrganizationRepository::organization)
                .optional();
    }

    public Optional<Organization> findBySlug(String slug) {
        return jdbc.sql("SELECT id, name, slug, created_at FROM organizations WHERE slug = :slug")
                .param("slug", slug)
                .query(OrganizationRepository::organization)
                .optional();
    }

    /** Returns the new token's id; the plaintext is never stored. */
    public UUID insertToken(UUID organizationId, AccessToken token, Set<Scope> scopes, String comment,
                            OffsetDateTime expiresAt) {
        UUID id = Uuid7.generate();
        jdbc.sql("""
                        INSERT INTO organization_access_tokens (id, organization_id, token_hash, scopes, comment, expires_at)
                        VALUES (:id, :organizationId, :hash, CAST(:scopes AS text[]), :comment, :expiresAt)
                        """)
                .param("id", id)
                .param("organizationId", organizationId)
                .param("hash", token.hash())
                .param("scopes", scopeArray(scopes))
                .param("comment", comment)
                .param("expiresAt", expiresAt)
                .update();
        return id;
    }

    /** An array literal of our own enum values: nothing to quote, and no driver-specific array binding. */
    private static String scopeArray(Set<Scope> scopes) {
        return scopes.stream().map(Scope::value).sorted().collect(java.util.stream.Collectors.joining(",", "{", "}"));
    }

    private static final String TOKEN_COLUMNS = "id, organization_id, scopes, comment, expires_at, created_at, modified_at";

    /** A live (not revoked) token of the organisation. */
    public Optional<AccessTokenView> findToken(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT " + TOKEN_COLUMNS + " FROM organization_access_tokens"
                        + " WHERE organization_id = :org AND id = :id AND revoked_at IS NULL")
                .param("org", organizationId).param("id", id).query((rs, n) -> view(rs)).optional();
    }

    public record TokenListing(List<AccessTokenView> items, long total) {
    }

    public TokenListing listTokens(UUID organizationId, boolean newestFirst, int limit, long offset) {
        long total = jdbc.sql("SELECT count(*) FROM organization_access_tokens"
                        + " WHERE organization_id = :org AND revoked_at IS NULL")
                .param("org", organizationId).query(Long.class).single();
        List<AccessTokenView> items = jdbc.sql("SELECT " + TOKEN_COLUMNS + " FROM organization_access_tokens"
                        + " WHERE organization_id = :org AND revoked_at IS NULL ORDER BY created_at "
                        + (newestFirst ? "DESC" : "ASC") + ", id LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("limit", limit).param("offset", offset)
                .query((rs, n) -> view(rs)).list();
        return new TokenListing(items, total);
    }

    /** Changes the comment and/or the scopes (null: unchanged) of a live token. */
    public Optional<AccessTokenView> updateToken(UUID organizationId, UUID id, String comment, Set<Scope> scopes) {
        return jdbc.sql("""
                        UPDATE organization_access_tokens
                        SET comment = coalesce(:comment, comment),
                            scopes = coalesce(CAST(:scopes AS text[]), scopes), modified_at = now()
                        WHERE organization_id = :org AND id = :id AND revoked_at IS NULL""" + " RETURNING " + TOKEN_COLUMNS)
                .param("org", organizationId).param("id", id).param("comment", comment)
                .param("scopes", scopes == null ? null : scopeArray(scopes))
                .query((rs, n) -> view(rs)).optional();
    }

    /** Revokes a live token; false when there is none (unknown, another organisation's, or already revoked). */
    public boolean revokeToken(UUID organizationId, UUID id) {
        return jdbc.sql("""
                        UPDATE organization_access_tokens SET revoked_at = now(), modified_at = now()
                        WHERE organization_id = :org AND id = :id AND revoked_at IS NULL""")
                .param("org", organizationId).param("id", id).update() == 1;
    }

    private static AccessTokenView view(java.sql.ResultSet rs) throws SQLException {
        return new AccessTokenView(rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("modified_at", OffsetDateTime.class), rs.getObject("id", UUID.class),
                scopes(rs.getArray("scopes")).stream().map(Scope::value).sorted().toList(),
                rs.getObject("expires_at", OffsetDateTime.class), rs.getString("comment"), null,
                rs.getObject("organization_id", UUID.class));
    }

    public Optional<OrganizationGrant> findActiveGrant(byte[] tokenHash) {
        return jdbc.sql("""
                        SELECT id, organization_id, scopes FROM organization_access_tokens
                        WHERE token_hash = :hash AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                        """)
                .param("hash", tokenHash)
                .query((rs, row) -> new OrganizationGrant(rs.getObject("organization_id", UUID.class),
                        rs.getObject("id", UUID.class), scopes(rs.getArray("scopes"))))
                .optional();
    }

    private static Organization organization(java.sql.ResultSet rs, int row) throws SQLException {
        return new Organization(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("slug"),
                rs.getObject("created_at", OffsetDateTime.class));
    }

    private static Set<Scope> scopes(Array array) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object value : (Object[]) array.getArray()) {
            Scope.parse((String) value).ifPresent(scopes::add);
        }
        return scopes;
    }
}
