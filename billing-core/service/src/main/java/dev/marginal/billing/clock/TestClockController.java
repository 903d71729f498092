package dev.marginal.billing.clock;

import java.time.OffsetDateTime;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.http.Body;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.Violations;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Stripe's {@code /v1/test_helpers/test_clocks}, one per organisation (Polar has none): read, create
 * and advance the organisation's clock. Only for {@code admin} tokens: moving time renews and
 * charges every subscription of the organisation.
 */
@RestController
public class TestClockController {

    private static final int MAX_BODY_BYTES = 1024;

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final TestClocks clocks;

    public TestClockController(Organizations organizations, JsonBody jsonBody, TestClocks clocks) {
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.clocks = clocks;
    }

    @GetMapping("/v1/test_helpers/test_clock")
    TestClocks.TestClock get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.ADMIN);
        return clocks.find(grant.organizationId())
                .orElseThrow(() -> ApiException.notFound("This organization has no test clock."));
    }

    @PostMapping("/v1/test_helpers/test_clock")
    ResponseEntity<TestClocks.TestClock> create(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.ADMIN);
        OffsetDateTime frozenTime = frozenTime(request);
        return ResponseEntity.status(HttpStatus.CREATED).body(clocks.create(grant.organizationId(), frozenTime));
    }

    @PostMapping("/v1/test_helpers/test_clock/advance")
    TestClocks.Advanced advance(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.ADMIN);
        return clocks.advance(grant.organizationId(), frozenTime(request));
    }

    private OffsetDateTime frozenTime(HttpServletRequest request) {
        Body body = Body.of(jsonBody.read(request, MAX_BODY_BYTES), new Violations());
        OffsetDateTime frozenTime = body.dateTime("frozen_time", true);
        body.violations().throwIfAny();
        return frozenTime;
    }
}
