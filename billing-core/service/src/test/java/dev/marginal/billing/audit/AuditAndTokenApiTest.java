package dev.marginal.billing.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.IllegalTransactionStateException;

import dev.marginal.billing.BillingApiTest;
import tools.jackson.databind.JsonNode;

class AuditAndTokenApiTest extends BillingApiTest {

    @Autowired
    AuditLog auditLog;

    private String customer(Tenant tenant, String externalId) {
        Reply reply = post("/v1/customers/", tenant.bearer(),
                "{\"email\":\"" + externalId + "@example.com\",\"external_id\":\"" + externalId + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    private Reply newToken(Tenant tenant, String scopes) {
        return post("/v1/organization-access-tokens/", tenant.bearer(),
                "{\"comment\":\"ci\",\"scopes\":[" + scopes + "]}");
    }

    private String bearer(Reply created) {
        return "Bearer " + created.json().get("token").stringValue();
    }

    private List<JsonNode> audit(Tenant tenant, String query) {
        Reply reply = get("/v1/audit-events/" + query, tenant.bearer());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("items").forEach(items::add);
        return items;
    }

    @Test
    void everyMutationIsRecordedWithWhoWhatBeforeAfterAndTheRequest() {
        Tenant tenant = newTenant();
        String ada = customer(tenant, "ada");
        Reply patched = send(HttpRequest.newBuilder(uri("/v1/customers/" + ada)).header("Authorization", tenant.bearer())
                .header("Content-Type", "application/json").header("X-Request-Id", "req-audit-1")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada Lovelace\"}")).build());
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);

        List<JsonNode> events = audit(tenant, "?subject_id=" + ada);
        assertThat(events).extracting(e -> e.get("action").stringValue())
                .containsExactly("customer.updated", "customer.created");
        JsonNode updated = events.get(0);
        assertThat(updated.get("subject_type").stringValue()).isEqualTo("customer");
        assertThat(updated.get("actor_type").stringValue()).isEqualTo("access_token");
        assertThat(updated.get("token_id").isNull()).isFalse();
        assertThat(updated.get("request_id").stringValue()).isEqualTo("req-audit-1");
        assertThat(updated.get("before").get("name").isNull()).isTrue();
        assertThat(updated.get("after").get("name").stringValue()).isEqualTo("Ada Lovelace");
        assertThat(events.get(1).get("before").isNull()).isTrue();
        assertThat(events.get(1).get("after").get("email").stringValue()).isEqualTo("ada@example.com");
        // the bootstrap that made the tenant is there too, by the platform
        assertThat(audit(tenant, "?action=organization.created")).singleElement()
                .satisfies(e -> assertThat(e.get("actor_type").stringValue()).isEqualTo("platform"));
    }

    @Test
    void aMutationWhoseAuditRowFailsIsNotWrittenEither() {
        Tenant tenant = newTenant();
        String ada = customer(tenant, "ada");
        // Make the audit insert fail for this customer only: the change itself must roll back with it.
        jdbc.sql("""
                CREATE FUNCTION audit_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$""").update();
        jdbc.sql("CREATE TRIGGER audit_test_refuse BEFORE INSERT ON audit_events FOR EACH ROW"
                + " WHEN (NEW.subject_id = '" + ada + "') EXECUTE FUNCTION audit_test_refuse()").update();
        try {
            Reply reply = patch("/v1/customers/" + ada, tenant.bearer(), "{\"name\":\"Never\"}");
            assertThat(reply.status()).isEqualTo(500);
        } finally {
            jdbc.sql("DROP TRIGGER audit_test_refuse ON audit_events").update();
            jdbc.sql("DROP FUNCTION audit_test_refuse()").update();
        }
        assertThat(get("/v1/customers/" + ada, tenant.bearer()).json().get("name").isNull()).isTrue();
        assertThat(audit(tenant, "?subject_id=" + ada)).hasSize(1);
    }

    @Test
    void theAuditLogCannotBeWrittenOutsideAMutationsTransactionNorChanged() {
        assertThatThrownBy(() -> auditLog.record(null, "test.nothing", "test", null, null, null))
                .isInstanceOf(IllegalTransactionStateException.class);
        Tenant tenant = newTenant();
        customer(tenant, "ada");
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_events SET action = 'x.y' WHERE organization_id = ?")
                .param(tenant.id()).update()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_events WHERE organization_id = ?")
                .param(tenant.id()).update()).hasMessageContaining("append-only");
    }

    @Test
    void theAuditLogPagesByCursorNewestFirstWithoutGapsOrRepeats() {
        Tenant tenant = newTenant();
        for (int i = 0; i < 5; i++) {
            customer(tenant, "c" + i);
        }
        Reply first = get("/v1/audit-events/?action=customer.created&limit=2", tenant.bearer());
        assertThat(first.json().get("pagination").get("has_next_page").booleanValue()).isTrue();
        List<String> seen = new ArrayList<>();
        first.json().get("items").forEach(e -> seen.add(e.get("after").get("external_id").stringValue()));
        String cursor = first.json().get("pagination").get("next_cursor").stringValue();
        Reply rest = get("/v1/audit-events/?action=customer.created&limit=10&starting_after=" + cursor, tenant.bearer());
        rest.json().get("items").forEach(e -> seen.add(e.get("after").get("external_id").stringValue()));
        assertThat(rest.json().get("pagination").get("has_next_page").booleanValue()).isFalse();
        assertThat(seen).containsExactly("c4", "c3", "c2", "c1", "c0");
    }

    @Test
    void onlyAdminTokensReadTheAuditLogAndOnlyTheirOwnOrganisations() {
        Tenant tenant = newTenant();
        Tenant other = newTenant();
        customer(other, "secret");
        Reply limited = newToken(tenant, "\"customers:read\",\"customers:write\"");
        assertThat(limited.status()).as(limited.body()).isEqualTo(201);

        Reply refused = get("/v1/audit-events/", bearer(limited));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/insufficient-scope");
        assertThat(audit(tenant, "?action=customer.created")).isEmpty();
    }

    @Test
    void aTokenIsShownOnceScopedAndDeadTheMomentItIsRevoked() {
        Tenant tenant = newTenant();
        Reply created = newToken(tenant, "\"customers:read\"");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().get("token").stringValue();
        assertThat(token).startsWith("mgl_oat_").hasSize(51);
        String id = created.json().get("organization_access_token").get("id").stringValue();
        assertThat(created.json().get("organization_access_token").get("scopes").toString())
                .isEqualTo("[\"customers:read\"]");
        // stored as a hash only; the list never shows it again
        Reply listed = get("/v1/organization-access-tokens/?limit=100", tenant.bearer());
        assertThat(listed.body()).contains(id).doesNotContain(token);
        assertThat(jdbc.sql("SELECT count(*) FROM organization_access_tokens WHERE token_hash = sha256(convert_to(?, 'UTF8'))")
                .param(token).query(Long.class).single()).isEqualTo(1);

        assertThat(get("/v1/customers/", bearer(created)).status()).isEqualTo(200);
        Reply write = post("/v1/customers/", bearer(created), "{\"email\":\"x@example.com\"}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(get("/v1/organization-access-tokens/", bearer(created)).status()).isEqualTo(403);

        assertThat(delete("/v1/organization-access-tokens/" + id, tenant.bearer()).status()).isEqualTo(204);
        Reply dead = get("/v1/customers/", bearer(created));
        assertThat(dead.status()).isEqualTo(401);
        assertThat(dead.json().get("type").stringValue()).isEqualTo("https://marginal.dev/problems/unauthorized");
        assertThat(delete("/v1/organization-access-tokens/" + id, tenant.bearer()).status()).isEqualTo(404);
        assertThat(audit(tenant, "?subject_id=" + id)).extracting(e -> e.get("action").stringValue())
                .containsExactly("organization_access_token.revoked", "organization_access_token.created");
    }

    @Test
    void aTokenNeverGrantsMoreThanItHoldsAndAnotherOrganisationsTokenIsNotFound() {
        Tenant tenant = newTenant();
        Tenant other = newTenant();
        Reply limited = newToken(tenant, "\"organization_access_tokens:write\",\"customers:read\"");
        Reply escalate = post("/v1/organization-access-tokens/", bearer(limited),
                "{\"comment\":\"x\",\"scopes\":[\"admin\"]}");
        assertThat(escalate.status()).isEqualTo(422);
        assertThat(escalate.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"scopes\",0]");
        Reply unknown = newToken(tenant, "\"root\"");
        assertThat(unknown.status()).isEqualTo(422);
        Reply missing = post("/v1/organization-access-tokens/", tenant.bearer(), "{\"scopes\":[]}");
        assertThat(missing.status()).isEqualTo(422);

        String id = newToken(tenant, "\"customers:read\"").json().get("organization_access_token").get("id").stringValue();
        assertThat(delete("/v1/organization-access-tokens/" + id, other.bearer()).status()).isEqualTo(404);
        Reply renamed = patch("/v1/organization-access-tokens/" + id, tenant.bearer(),
                "{\"comment\":\"read-only dashboard\",\"scopes\":[\"customers:read\",\"orders:read\"]}");
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().get("comment").stringValue()).isEqualTo("read-only dashboard");
        assertThat(renamed.json().get("scopes").toString()).isEqualTo("[\"customers:read\",\"orders:read\"]");
        assertThat(patch("/v1/organization-access-tokens/" + UUID.randomUUID(), tenant.bearer(), "{\"comment\":\"x\"}")
                .status()).isEqualTo(404);
    }
}
