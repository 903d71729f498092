package dev.marginal.billing.organization;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.audit.Actor;
import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.problem.ApiException;

/** Bootstrapping tenants and resolving the tokens they call with. */
@Service
public class Organizations {

    private static final String BEARER = "bearer ";

    private final OrganizationRepository repository;
    private final AuditLog audit;

    public Organizations(OrganizationRepository repository, AuditLog audit) {
        this.repository = repository;
        this.audit = audit;
    }

    /** An organisation and a token freshly issued for it; {@code created} is false on a re-run. */
    public record Bootstrapped(Organization organization, AccessToken token, boolean created) {
    }

    /**
     * Creates the organisation, or finds it by slug, and issues a new all-scope token either way,
     * so a bootstrap script can run again without failing or revoking the tokens already handed out.
     */
    @Transactional
    public Bootstrapped bootstrap(String name, String slug) {
        Optional<Organization> inserted = repository.insertIfAbsent(name, slug);
        Organization organization = inserted.or(() -> repository.findBySlug(slug))
                .orElseThrow(() -> new IllegalStateException("organisation " + slug + " vanished"));
        AccessToken token = AccessToken.issue();
        UUID tokenId = repository.insertToken(organization.id(), token, Scope.all(), "bootstrap", null);
        if (inserted.isPresent()) {
            audit.record(organization.id(), "organization.created", "organization", organization.id(), null,
                    organization);
        }
        audit.record(organization.id(), "organization_access_token.created", "organization_access_token", tokenId,
                null, repository.findToken(organization.id(), tokenId).orElseThrow());
        return new Bootstrapped(organization, token, inserted.isPresent());
    }

    /** Resolves {@code Authorization: Bearer mgl_oat_…}; anything else is a 401. */
    public OrganizationGrant authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("Send an organization access token as 'Authorization: Bearer <token>'.");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("Only Bearer authorization is supported.");
        }
        String presented = authorization.substring(BEARER.length()).trim();
        if (!AccessToken.looksLikeToken(presented)) {
            throw ApiException.unauthorized("The access token is invalid, revoked or unknown.");
        }
        OrganizationGrant grant = repository.findActiveGrant(AccessToken.sha256(presented))
                .orElseThrow(() -> ApiException.unauthorized("The access token is invalid, revoked or unknown."));
        Actor.authenticated(Actor.of(grant));
        return grant;
    }
}
