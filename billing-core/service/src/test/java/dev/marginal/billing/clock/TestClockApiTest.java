package dev.marginal.billing.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.marginal.billing.MoneyApiTest;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;
import dev.marginal.billing.subscription.RenewalScheduler;
import tools.jackson.databind.JsonNode;

/**
 * An organisation on a test clock lives at the clock's time, while the service (and every other
 * organisation) stays on its own clock: here the service's clock says 1 March 2025 and the test
 * clock 2026.
 */
class TestClockApiTest extends MoneyApiTest {

    private static final String JAN_1 = "2026-01-01T00:00:00Z";

    @Autowired
    RenewalScheduler scheduler;

    @Test
    void subscriptionsLiveAtTheClocksTimeAndRenewOnlyWhenItIsAdvanced() {
        Tenant tenant = newTenant();
        assertThat(get("/v1/test_helpers/test_clock", tenant.bearer()).status()).isEqualTo(404);
        Reply created = post("/v1/test_helpers/test_clock", tenant.bearer(), "{\"frozen_time\":\"" + JAN_1 + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(Instant.parse(created.json().get("frozen_time").stringValue())).isEqualTo(Instant.parse(JAN_1));

        JsonNode first = paidOrder(tenant, product(tenant, 2_000), "ada", null);
        assertThat(Instant.parse(first.get("created_at").stringValue())).isEqualTo(Instant.parse(JAN_1));
        String subscription = first.get("subscription_id").stringValue();
        JsonNode sub = get("/v1/subscriptions/" + subscription, tenant.bearer()).json();
        assertThat(Instant.parse(sub.get("current_period_end").stringValue()))
                .isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));

        // The service's own sweep, even years ahead, leaves the test clock's organisation alone.
        clock.set(Instant.parse("2027-06-01T00:00:00Z"));
        scheduler.sweep();
        assertThat(orderTimes(tenant)).containsExactly(JAN_1);

        Reply advanced = post("/v1/test_helpers/test_clock/advance", tenant.bearer(),
                "{\"frozen_time\":\"2026-03-15T12:00:00Z\"}");
        assertThat(advanced.status()).as(advanced.body()).isEqualTo(200);
        assertThat(advanced.json().get("subscriptions_moved").intValue()).isEqualTo(1);
        assertThat(orderTimes(tenant)).containsExactly(JAN_1, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z");
        assertThat(Instant.parse(get("/v1/subscriptions/" + subscription, tenant.bearer()).json()
                .get("current_period_end").stringValue())).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));

        // Advancing to the time it shows again moves nothing twice.
        Reply again = post("/v1/test_helpers/test_clock/advance", tenant.bearer(),
                "{\"frozen_time\":\"2026-03-15T12:00:00Z\"}");
        assertThat(again.json().get("subscriptions_moved").intValue()).isZero();
        assertThat(orderTimes(tenant)).hasSize(3);
        assertThat(merchant(tenant)).as("three payments of 2,000 less fees").isPositive();
        assertLedgerInvariants(tenant);
    }

    @Test
    void theClockNeverGoesBackAndEventsMustBeInItsPast() {
        Tenant tenant = newTenant();
        post("/v1/test_helpers/test_clock", tenant.bearer(), "{\"frozen_time\":\"2026-03-15T12:00:00Z\"}");

        Reply back = post("/v1/test_helpers/test_clock/advance", tenant.bearer(),
                "{\"frozen_time\":\"2026-03-15T11:59:59Z\"}");
        problem(back, 422, "validation-error");
        assertThat(back.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"frozen_time\"]");
        assertThat(get("/v1/test_helpers/test_clock", tenant.bearer()).json().get("frozen_time").stringValue())
                .isEqualTo("2026-03-15T12:00:00Z");

        problem(post("/v1/test_helpers/test_clock", tenant.bearer(), "{\"frozen_time\":\"2027-01-01T00:00:00Z\"}"),
                409, "illegal-transition");
        problem(post("/v1/test_helpers/test_clock/advance", tenant.bearer(), "{\"frozen_time\":\"yesterday\"}"),
                422, "validation-error");

        // The service's clock says March 2025, the organisation's March 2026: an event of 14 March
        // 2026 is in the organisation's past, one of 16 March in its future.
        customer(tenant, "grace", null);
        Reply past = post("/v1/events/ingest", tenant.bearer(), event("2026-03-14T00:00:00Z"));
        assertThat(past.status()).as(past.body()).isEqualTo(200);
        Reply future = post("/v1/events/ingest", tenant.bearer(), event("2026-03-16T00:00:00Z"));
        problem(future, 422, "validation-error");
        assertThat(eventCount(tenant.id())).isEqualTo(1);
    }

    @Test
    void anOrganisationWithSubscriptionsOnRealTimeCannotTakeAClock() {
        Tenant tenant = newTenant();
        paidOrder(tenant, product(tenant, 1_000), "lin", null);
        Reply refused = post("/v1/test_helpers/test_clock", tenant.bearer(), "{\"frozen_time\":\"" + JAN_1 + "\"}");
        problem(refused, 409, "illegal-transition");
        assertThat(refused.json().get("detail").stringValue()).contains("subscriptions on real time");
        assertThat(count("test_clocks", tenant)).isZero();
    }

    @Test
    void onlyAdminTokensMoveTime() {
        Tenant tenant = newTenant();
        Reply token = post("/v1/organization-access-tokens/", tenant.bearer(),
                "{\"comment\":\"ci\",\"scopes\":[\"subscriptions:write\"]}");
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        String bearer = "Bearer " + token.json().get("token").stringValue();
        problem(post("/v1/test_helpers/test_clock", bearer, "{\"frozen_time\":\"" + JAN_1 + "\"}"),
                403, "insufficient-scope");
        assertThat(count("test_clocks", tenant)).isZero();
    }

    @Test
    void aDeploymentWithoutTestClocksRefusesThem() {
        TestClocks disabled = new TestClocks(null, null, null, null, false);
        assertThatThrownBy(() -> disabled.create(UUID.randomUUID(), OffsetDateTime.parse(JAN_1)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.TEST_CLOCKS_DISABLED));
    }

    private static String event(String timestamp) {
        return "{\"events\":[{\"name\":\"tokens\",\"external_customer_id\":\"grace\",\"timestamp\":\"" + timestamp
                + "\",\"metadata\":{\"n\":1}}]}";
    }

    private List<String> orderTimes(Tenant tenant) {
        List<String> times = new ArrayList<>();
        for (JsonNode order : get("/v1/orders/?sorting=created_at", tenant.bearer()).json().get("items")) {
            times.add(Instant.parse(order.get("created_at").stringValue()).toString());
        }
        return times;
    }
}
