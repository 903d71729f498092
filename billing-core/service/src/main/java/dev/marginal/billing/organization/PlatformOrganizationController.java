package dev.marginal.billing.organization;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.problem.Violations;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/platform/organizations}: the operator bootstraps a tenant and gets its first token. */
@RestController
public class PlatformOrganizationController {

    static final int MAX_NAME_LENGTH = 200;
    static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final PlatformGuard guard;
    private final Organizations organizations;
    private final JsonBody jsonBody;

    public PlatformOrganizationController(PlatformGuard guard, Organizations organizations, JsonBody jsonBody) {
        this.guard = guard;
        this.organizations = organizations;
        this.jsonBody = jsonBody;
    }

    /** The token appears in this response only; it is stored as a hash. */
    public record CreatedOrganization(UUID id, String name, String slug, String token) {
    }

    @PostMapping("/v1/platform/organizations")
    ResponseEntity<CreatedOrganization> create(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            HttpServletRequest request) {
        guard.check(authorization);
        JsonNode body = jsonBody.read(request, MAX_BODY_BYTES);
        Violations violations = new Violations();
        String name = null;
        String slug = null;
        if (body == null || !body.isObject()) {
            violations.add(List.of("body"), "Input should be a valid dictionary", "dict_type");
        } else {
            name = text(body, "name", violations);
            slug = text(body, "slug", violations);
            if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH)) {
                violations.add(List.of("body", "name"),
                        "Name should have 1 to " + MAX_NAME_LENGTH + " characters", "string_length");
            }
            if (slug != null && !SLUG.matcher(slug).matches()) {
                violations.add(List.of("body", "slug"),
                        "Slug should be 1 to 64 lowercase letters, digits or inner hyphens", "string_pattern_mismatch");
            }
        }
        violations.throwIfAny();

        Organizations.Bootstrapped result = organizations.bootstrap(name.strip(), slug);
        Organization organization = result.organization();
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new CreatedOrganization(organization.id(), organization.name(), organization.slug(),
                        result.token().plaintext()));
    }

    private static String text(JsonNode body, String field, Violations violations) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            violations.add(List.of("body", field), "Field required", "missing");
            return null;
        }
        if (!value.isString()) {
            violations.add(List.of("body", field), "Input should be a valid string", "string_type");
            return null;
        }
        if (value.stringValue().indexOf('\0') >= 0) {
            violations.add(List.of("body", field), "NUL characters are not allowed", "value_error");
            return null;
        }
        return value.stringValue();
    }
}
