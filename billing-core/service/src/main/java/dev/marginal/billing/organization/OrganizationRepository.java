package dev.marginal.billing.organization;

import java.sql.Array;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.EnumSet;
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

    public void insertToken(UUID organizationId, AccessToken token, Set<Scope> scopes) {
        // An array literal of our own enum values: nothing to quote, and no driver-specific array binding.
        String scopeArray = scopes.stream().map(Scope::value).sorted()
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));
        jdbc.sql("""
                        INSERT INTO organization_access_tokens (id, organization_id, token_hash, scopes)
                        VALUES (:id, :organizationId, :hash, CAST(:scopes AS text[]))
                        """)
                .param("id", Uuid7.generate())
                .param("organizationId", organizationId)
                .param("hash", token.hash())
                .param("scopes", scopeArray)
                .update();
    }

    public Optional<OrganizationGrant> findActiveGrant(byte[] tokenHash) {
        return jdbc.sql("""
                        SELECT organization_id, scopes FROM organization_access_tokens
                        WHERE token_hash = :hash AND revoked_at IS NULL
                        """)
                .param("hash", tokenHash)
                .query((rs, row) -> new OrganizationGrant(rs.getObject("organization_id", UUID.class),
                        scopes(rs.getArray("scopes"))))
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
