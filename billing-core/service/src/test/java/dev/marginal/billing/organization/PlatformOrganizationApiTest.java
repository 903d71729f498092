package dev.marginal.billing.organization;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

class PlatformOrganizationApiTest extends BillingApiTest {

    private static final String ORGANIZATIONS = "/v1/platform/organizations";
    private static final String ONE_EVENT =
            "{\"events\":[{\"name\":\"completion\",\"external_customer_id\":\"cus_42\"}]}";

    /** Unique per run, so a database left over from an interrupted run cannot make a new slug "existing". */
    private static String slug(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theOperatorCreatesAnOrganizationAndGetsATokenThatIngests() {
        String slug = slug("demo");
        Reply created = post(ORGANIZATIONS, "Bearer " + PLATFORM_TOKEN, "{\"name\":\"Demo\",\"slug\":\"" + slug + "\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("name").stringValue()).isEqualTo("Demo");
        assertThat(created.json().get("slug").stringValue()).isEqualTo(slug);
        String token = created.json().get("token").stringValue();
        assertThat(token).matches("mgl_oat_[A-Za-z0-9_-]{43}");
        assertThat(post("/v1/events/ingest", "Bearer " + token, ONE_EVENT).status()).isEqualTo(200);
        // Stored as a hash only: the plaintext appears nowhere in the database.
        assertThat(jdbc.sql("SELECT count(*) FROM organization_access_tokens WHERE encode(token_hash, 'escape') LIKE ?")
                .param("%" + token.substring(8) + "%").query(Long.class).single()).isZero();
    }

    @Test
    void rerunningTheBootstrapReturnsTheSameOrganizationWithANewToken() {
        String body = "{\"name\":\"Demo\",\"slug\":\"" + slug("rerun") + "\"}";
        Reply first = post(ORGANIZATIONS, "Bearer " + PLATFORM_TOKEN, body);
        Reply again = post(ORGANIZATIONS, "Bearer " + PLATFORM_TOKEN, body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        String oldToken = first.json().get("token").stringValue();
        String newToken = again.json().get("token").stringValue();
        assertThat(newToken).isNotEqualTo(oldToken);
        assertThat(post("/v1/events/ingest", "Bearer " + oldToken, ONE_EVENT).status()).isEqualTo(200);
        assertThat(post("/v1/events/ingest", "Bearer " + newToken, ONE_EVENT).status()).isEqualTo(200);
    }

    @Test
    void aWrongPlatformTokenIsUnauthorized() {
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + PLATFORM_TOKEN + "x"}) {
            Reply reply = post(ORGANIZATIONS, authorization, "{\"name\":\"Demo\",\"slug\":\"demo-denied\"}");

            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/unauthorized");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM organizations WHERE slug = 'demo-denied'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void anOrganizationTokenCannotCreateOrganizations() {
        Tenant tenant = newTenant();

        assertThat(post(ORGANIZATIONS, tenant.bearer(), "{\"name\":\"Evil\",\"slug\":\"evil\"}").status()).isEqualTo(401);
    }

    @Test
    void aSlugIsLowercaseLettersDigitsAndHyphens() {
        Reply reply = post(ORGANIZATIONS, "Bearer " + PLATFORM_TOKEN, "{\"name\":\"\",\"slug\":\"Not A Slug\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("detail").findValues("loc").stream().map(Object::toString))
                .containsExactly("[\"body\",\"name\"]", "[\"body\",\"slug\"]");
    }
}
