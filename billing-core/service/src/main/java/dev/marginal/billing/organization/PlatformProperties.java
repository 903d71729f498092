package dev.marginal.billing.organization;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator's credential for {@code /v1/platform/...}, from {@code MARGINAL_PLATFORM_TOKEN}.
 * Blank means the platform routes are closed: every call is a 401.
 */
@ConfigurationProperties("marginal.platform")
public record PlatformProperties(String token) {
}
