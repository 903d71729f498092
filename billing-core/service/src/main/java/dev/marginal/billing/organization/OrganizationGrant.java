package dev.marginal.billing.organization;

import java.util.Set;
import java.util.UUID;

import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;

/** Who is calling: the organisation a valid token belongs to, which token, and what it may do. */
public record OrganizationGrant(UUID organizationId, UUID tokenId, Set<Scope> scopes) {

    public OrganizationGrant {
        scopes = Set.copyOf(scopes);
    }

    /** Reading is allowed with either scope, as Polar's {@code customers:read customers:write}. */
    public OrganizationGrant requireAny(Scope read, Scope write) {
        return scopes.contains(read) ? this : require(write);
    }

    public OrganizationGrant require(Scope scope) {
        if (!scopes.contains(scope)) {
            throw new ApiException(ProblemType.INSUFFICIENT_SCOPE,
                    "This token does not have the " + scope.value() + " scope.");
        }
        return this;
    }
}
