package dev.marginal.billing.organization;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.http.Body;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.ListResource;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.http.PathIds;
import dev.marginal.billing.http.Query;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.Violations;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * Polar's {@code /v1/organization-access-tokens/}: list, create (the token is in that response
 * only; it is stored as a SHA-256), update the comment or scopes, and delete, which revokes: the
 * token answers 401 from the moment the revocation commits. A token never grants more than it
 * holds, so a limited token cannot mint an all-powerful one.
 */
@RestController
class AccessTokenController {

    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final int MAX_COMMENT = 500;

    private final Organizations organizations;
    private final OrganizationRepository repository;
    private final JsonBody jsonBody;
    private final AuditLog audit;

    AccessTokenController(Organizations organizations, OrganizationRepository repository, JsonBody jsonBody,
                          AuditLog audit) {
        this.organizations = organizations;
        this.repository = repository;
        this.jsonBody = jsonBody;
        this.audit = audit;
    }

    record Created(AccessTokenView organizationAccessToken, String token) {
    }

    @GetMapping({"/v1/organization-access-tokens/", "/v1/organization-access-tokens"})
    ListResource<AccessTokenView> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                       String authorization, HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .requireAny(Scope.ORGANIZATION_ACCESS_TOKENS_READ, Scope.ORGANIZATION_ACCESS_TOKENS_WRITE);
        Query query = new Query(request);
        PageRequest page = query.page();
        List<String> sorting = query.sorting(Set.of("created_at"), List.of("created_at"));
        query.refuse(Set.of("organization_id"));
        query.done();
        OrganizationRepository.TokenListing listing = repository.listTokens(grant.organizationId(),
                sorting.get(0).startsWith("-"), page.limit(), page.offset());
        return ListResource.of(listing.items(), listing.total(), page);
    }

    @PostMapping({"/v1/organization-access-tokens/", "/v1/organization-access-tokens"})
    @Transactional
    ResponseEntity<Created> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                   String authorization, HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .require(Scope.ORGANIZATION_ACCESS_TOKENS_WRITE);
        Body body = Body.of(jsonBody.read(request, MAX_BODY_BYTES), new Violations());
        String comment = body.text("comment", true, MAX_COMMENT);
        Set<Scope> scopes = scopes(body, grant, true);
        OffsetDateTime expiresAt = expiresAt(body);
        body.violations().throwIfAny();
        AccessToken token = AccessToken.issue();
        UUID id = repository.insertToken(grant.organizationId(), token, scopes, comment, expiresAt);
        AccessTokenView view = repository.findToken(grant.organizationId(), id).orElseThrow();
        audit.record(grant.organizationId(), "organization_access_token.created", "organization_access_token", id,
                null, view);
        return ResponseEntity.status(HttpStatus.CREATED).body(new Created(view, token.plaintext()));
    }

    @PatchMapping("/v1/organization-access-tokens/{id}")
    @Transactional
    AccessTokenView update(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                           @PathVariable("id") String id, HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .require(Scope.ORGANIZATION_ACCESS_TOKENS_WRITE);
        UUID tokenId = PathIds.uuid("id", id);
        Body body = Body.of(jsonBody.read(request, MAX_BODY_BYTES), new Violations());
        String comment = body.text("comment", false, MAX_COMMENT);
        Set<Scope> scopes = scopes(body, grant, false);
        body.violations().throwIfAny();
        AccessTokenView before = repository.findToken(grant.organizationId(), tokenId)
                .orElseThrow(AccessTokenController::notFound);
        AccessTokenView after = repository.updateToken(grant.organizationId(), tokenId, comment, scopes)
                .orElseThrow(AccessTokenController::notFound);
        audit.record(grant.organizationId(), "organization_access_token.updated", "organization_access_token",
                tokenId, before, after);
        return after;
    }

    @DeleteMapping("/v1/organization-access-tokens/{id}")
    @Transactional
    ResponseEntity<Void> delete(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                String authorization, @PathVariable("id") String id) {
        OrganizationGrant grant = organizations.authenticate(authorization)
                .require(Scope.ORGANIZATION_ACCESS_TOKENS_WRITE);
        UUID tokenId = PathIds.uuid("id", id);
        AccessTokenView before = repository.findToken(grant.organizationId(), tokenId)
                .orElseThrow(AccessTokenController::notFound);
        if (!repository.revokeToken(grant.organizationId(), tokenId)) {
            throw notFound();
        }
        audit.record(grant.organizationId(), "organization_access_token.revoked", "organization_access_token",
                tokenId, before, null);
        return ResponseEntity.noContent().build();
    }

    /** Polar's scope names; each must be known and held by the calling token. */
    private static Set<Scope> scopes(Body body, OrganizationGrant grant, boolean required) {
        JsonNode value = body.get("scopes");
        if (value == null || value.isNull()) {
            if (required) {
                body.violations().add(Body.loc("scopes"), "Field required", "missing");
            }
            return null;
        }
        if (!value.isArray()) {
            body.violations().add(Body.loc("scopes"), "Input should be a valid list", "list_type");
            return null;
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            Scope scope = item.isString() ? Scope.parse(item.stringValue()).orElse(null) : null;
            if (scope == null) {
                body.violations().add(Body.loc("scopes", i), "Input should be one of " + Scope.all().stream()
                        .map(Scope::value).sorted().toList(), "enum");
            } else if (!grant.scopes().contains(scope)) {
                body.violations().add(Body.loc("scopes", i), "This token does not hold " + scope.value()
                        + " and cannot grant it", "value_error");
            } else {
                scopes.add(scope);
            }
        }
        return scopes;
    }

    /** Polar's {@code expires_in}: pydantic's timedelta, seconds or an ISO-8601 duration; null never expires. */
    private static OffsetDateTime expiresAt(Body body) {
        JsonNode value = body.get("expires_in");
        if (value == null || value.isNull()) {
            return null;
        }
        Duration duration = null;
        if (value.isIntegralNumber()) {
            duration = Duration.ofSeconds(value.longValue());
        } else if (value.isString()) {
            try {
                duration = Duration.parse(value.stringValue());
            } catch (DateTimeParseException e) {
                duration = null;
            }
        }
        if (duration == null || duration.isNegative() || duration.isZero() || duration.toDays() > 3650) {
            body.violations().add(Body.loc("expires_in"), "Input should be a positive duration of at most 10 years, in seconds or ISO 8601",
                    "time_delta_parsing");
            return null;
        }
        return OffsetDateTime.now(ZoneOffset.UTC).plus(duration);
    }

    static ApiException notFound() {
        return ApiException.notFound("Organization access token not found.");
    }
}
