package dev.marginal.billing.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

class EventListApiTest extends BillingApiTest {

    private void ingest(Tenant tenant, String... events) {
        Reply reply = post("/v1/events/ingest", tenant.bearer(), "{\"events\":[" + String.join(",", events) + "]}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private static String event(String name, String customer, String timestamp) {
        return "{\"name\":\"" + name + "\",\"external_customer_id\":\"" + customer + "\",\"timestamp\":\"" + timestamp + "\"}";
    }

    @Test
    void anEventForACustomerNotCreatedYetIsLinkedOnceTheCustomerExists() {
        Tenant tenant = newTenant();
        ingest(tenant, event("completion", "cus_late", "2025-03-14T09:00:00Z"));

        Reply before = get("/v1/events/?external_customer_id=cus_late", tenant.bearer());
        String customerId = post("/v1/customers/", tenant.bearer(),
                "{\"email\":\"late@example.com\",\"external_id\":\"cus_late\"}").json().get("id").stringValue();
        Reply after = get("/v1/events/?customer_id=" + customerId, tenant.bearer());

        assertThat(before.json().get("items").get(0).get("customer").isNull()).isTrue();
        assertThat(after.json().get("items").get(0).get("customer").get("id").stringValue()).isEqualTo(customerId);
        assertThat(after.json().get("items").get(0).get("customer_id").isNull()).isTrue();
        // The customer's first event predates the customer, as Polar allows.
        assertThat(after.json().get("items").get(0).get("customer").get("first_user_event_at").stringValue())
                .isEqualTo("2025-03-14T09:00:00Z");
    }

    @Test
    void filtersMarginalCannotApplyYetAreRefusedNotIgnored() {
        Tenant tenant = newTenant();

        Reply reply = get("/v1/events/?meter_id=0b6c3a8e-3f0e-4a59-9d1b-6f8a3c2e1d4f&metadata[feature]=chat", tenant.bearer());

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").findValues("loc")).extracting(Object::toString)
                .containsExactlyInAnyOrder("[\"query\",\"meter_id\"]", "[\"query\",\"metadata\"]");
    }

    @Test
    void eventsAreFilteredByNameAndTimeAndListedNewestFirst() {
        Tenant tenant = newTenant();
        ingest(tenant, event("completion", "c", "2025-03-01T00:00:00Z"), event("completion", "c", "2025-03-02T00:00:00Z"),
                event("embedding", "c", "2025-03-03T00:00:00Z"), event("completion", "c", "2025-03-04T00:00:00Z"));

        Reply reply = get("/v1/events/?name=completion&start_timestamp=2025-03-02T00:00:00Z"
                + "&end_timestamp=2025-03-04T00:00:00Z", tenant.bearer());

        assertThat(reply.json().get("items").findValuesAsString("timestamp"))
                .containsExactly("2025-03-04T00:00:00Z", "2025-03-02T00:00:00Z");
        assertThat(reply.json().get("pagination").get("total_count").intValue()).isEqualTo(2);
    }

    @Test
    void anotherOrganizationsEventIsNotFound() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();
        ingest(acme, event("completion", "c", "2025-03-01T00:00:00Z"));
        String id = get("/v1/events/", acme.bearer()).json().get("items").get(0).get("id").stringValue();

        assertThat(get("/v1/events/" + id, acme.bearer()).status()).isEqualTo(200);
        assertThat(get("/v1/events/" + id, globex.bearer()).status()).isEqualTo(404);
        assertThat(get("/v1/events/", globex.bearer()).json().get("pagination").get("total_count").intValue()).isZero();
    }

    @Test
    void costsReadBackAsPolarsDecimalStrings() {
        Tenant tenant = newTenant();
        ingest(tenant, "{\"name\":\"completion\",\"external_customer_id\":\"c\",\"metadata\":"
                + "{\"_cost\":{\"amount\":0.000000000001,\"currency\":\"usd\"},\"ratio\":1.50}}");

        Reply reply = get("/v1/events/", tenant.bearer());

        assertThat(reply.body()).contains("\"amount\":\"0.000000000001\"").contains("\"ratio\":1.50");
    }

    @Test
    void badQueryParametersAreValidationProblems() {
        Tenant tenant = newTenant();

        Reply reply = get("/v1/events/?start_timestamp=yesterday&customer_id=nope&page=0", tenant.bearer());

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").findValuesAsString("type"))
                .containsExactlyInAnyOrder("datetime_parsing", "uuid_parsing", "greater_than_equal");
    }
}
