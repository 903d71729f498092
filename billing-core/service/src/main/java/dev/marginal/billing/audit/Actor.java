package dev.marginal.billing.audit;

import java.util.UUID;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.marginal.billing.organization.OrganizationGrant;

/**
 * Who made a change: an organisation access token, the platform operator, or the service itself
 * (the renewal sweep). The request's authentication records it, so the audit log never needs it
 * passed through every rule.
 */
public record Actor(String type, UUID organizationId, UUID tokenId) {

    private static final String ATTRIBUTE = Actor.class.getName();
    public static final Actor SYSTEM = new Actor("system", null, null);
    public static final Actor PLATFORM = new Actor("platform", null, null);

    public static Actor of(OrganizationGrant grant) {
        return new Actor("access_token", grant.organizationId(), grant.tokenId());
    }

    /** Remembers the caller for the rest of the request. */
    public static void authenticated(Actor actor) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.setAttribute(ATTRIBUTE, actor, RequestAttributes.SCOPE_REQUEST);
        }
    }

    /** The request's caller; outside a request (the renewal sweep) the service itself. */
    public static Actor current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        Object actor = attributes == null ? null : attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        return actor instanceof Actor a ? a : SYSTEM;
    }
}
