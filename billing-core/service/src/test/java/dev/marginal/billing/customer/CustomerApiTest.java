package dev.marginal.billing.customer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

class CustomerApiTest extends BillingApiTest {

    private Reply create(Tenant tenant, String body) {
        return post("/v1/customers/", tenant.bearer(), body);
    }

    private long customers(Tenant tenant) {
        return jdbc.sql("SELECT count(*) FROM customers WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single();
    }

    @Test
    void anExternalIdNamesOneCustomerPerOrganizationEvenAfterDeletion() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();

        Reply ada = create(acme, "{\"email\":\"ada@example.com\",\"external_id\":\"cus_1\"}");
        Reply twin = create(acme, "{\"email\":\"other@example.com\",\"external_id\":\"cus_1\"}");
        Reply elsewhere = create(globex, "{\"email\":\"ada@example.com\",\"external_id\":\"cus_1\"}");

        assertThat(ada.status()).as(ada.body()).isEqualTo(201);
        assertThat(twin.status()).isEqualTo(422);
        assertThat(twin.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"external_id\"]");
        assertThat(elsewhere.status()).isEqualTo(201);

        assertThat(delete("/v1/customers/external/cus_1", acme.bearer()).status()).isEqualTo(204);
        // A deleted customer frees its email but never its external id: old events keep their meaning.
        assertThat(create(acme, "{\"email\":\"ada@example.com\"}").status()).isEqualTo(201);
        assertThat(create(acme, "{\"email\":\"new@example.com\",\"external_id\":\"cus_1\"}").status()).isEqualTo(422);
        assertThat(get("/v1/customers/external/cus_1", acme.bearer()).status()).isEqualTo(404);
    }

    @Test
    void emailsAreUniqueCaseInsensitively() {
        Tenant tenant = newTenant();

        create(tenant, "{\"email\":\"Ada@Example.com\"}");
        Reply duplicate = create(tenant, "{\"email\":\"ada@example.com\"}");

        assertThat(duplicate.status()).isEqualTo(422);
        assertThat(duplicate.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"email\"]");
        assertThat(customers(tenant)).isEqualTo(1);
    }

    @Test
    void aBadCustomerIsRefusedFieldByFieldAndNothingIsWritten() {
        Tenant tenant = newTenant();

        Reply reply = create(tenant, "{\"email\":\"not-an-email\",\"metadata\":{\"plan\":[1]},\"tax_id\":\"FR123\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("detail").findValuesAsString("type"))
                .containsExactlyInAnyOrder("value_error", "union_type", "value_error");
        assertThat(customers(tenant)).isZero();
    }

    @Test
    void anExternalIdOnceSetCannotChange() {
        Tenant tenant = newTenant();
        String id = create(tenant, "{\"email\":\"ada@example.com\"}").json().get("id").stringValue();

        Reply set = patch("/v1/customers/" + id, tenant.bearer(), "{\"external_id\":\"cus_9\",\"name\":\"Ada\"}");
        Reply changed = patch("/v1/customers/" + id, tenant.bearer(), "{\"external_id\":\"cus_10\"}");
        Reply cleared = patch("/v1/customers/" + id, tenant.bearer(), "{\"name\":null}");

        assertThat(set.json().get("external_id").stringValue()).isEqualTo("cus_9");
        assertThat(changed.status()).isEqualTo(422);
        assertThat(cleared.json().get("name").isNull()).isTrue();
        assertThat(cleared.json().get("external_id").stringValue()).isEqualTo("cus_9");
        assertThat(cleared.json().get("modified_at").isNull()).isFalse();
    }

    @Test
    void anotherOrganizationsCustomerIsNotFound() {
        Tenant acme = newTenant();
        Tenant globex = newTenant();
        String id = create(acme, "{\"email\":\"ada@example.com\"}").json().get("id").stringValue();

        Reply reply = get("/v1/customers/" + id, globex.bearer());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").stringValue()).isEqualTo("ResourceNotFound");
        assertThat(delete("/v1/customers/" + id, globex.bearer()).status()).isEqualTo(404);
        assertThat(get("/v1/customers/not-a-uuid", acme.bearer()).json().get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"path\",\"id\"]");
    }

    @Test
    void listsArePagedLikePolar() {
        Tenant tenant = newTenant();
        for (int i = 0; i < 5; i++) {
            create(tenant, "{\"email\":\"c" + i + "@example.com\",\"name\":\"C" + i + "\"}");
        }

        Reply page = get("/v1/customers/?limit=2&page=3&sorting=email", tenant.bearer());
        Reply tooMany = get("/v1/customers/?limit=101", tenant.bearer());

        assertThat(page.json().get("pagination").get("total_count").intValue()).isEqualTo(5);
        assertThat(page.json().get("pagination").get("max_page").intValue()).isEqualTo(3);
        assertThat(page.json().get("items").findValuesAsString("email")).containsExactly("c4@example.com");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"query\",\"limit\"]");
    }
}
