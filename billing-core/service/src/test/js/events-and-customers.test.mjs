// Polar's own SDK, pointed at Marginal, must work unchanged: these calls are what a Polar user's
// code does. Run by PolarSdkCompatibilityApiTest (./mvnw verify), which starts the service and
// passes MARGINAL_BASE_URL and two organisation tokens.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPolar } from "@polar-sh/sdk/2026-10";

const baseUrl = process.env.MARGINAL_BASE_URL;
const polar = createPolar({ accessToken: process.env.MARGINAL_TOKEN, baseUrl, timeout: 30 });
const otherOrganization = createPolar({ accessToken: process.env.MARGINAL_OTHER_TOKEN, baseUrl, timeout: 30 });
const run = Date.now().toString(36);

test("ingest through the SDK counts inserts and duplicates", async () => {
    const events = [
        { name: "completion", external_customer_id: `cus_${run}`, external_id: `evt_${run}_1`,
          metadata: { _llm: { vendor: "openai", model: "gpt-4o", input_tokens: 812, output_tokens: 95, total_tokens: 907 },
                      _cost: { amount: 0.4213, currency: "usd" }, feature: "summarise" } },
        { name: "completion", external_customer_id: `cus_${run}`, external_id: `evt_${run}_1` },
    ];
    const first = await polar.events.ingest({ events });
    assert.deepEqual(first, { inserted: 1, duplicates: 1 });
    const again = await polar.events.ingest({ events });
    assert.deepEqual(again, { inserted: 0, duplicates: 2 });
});

test("a bad event is an HTTPValidationError naming its index and field", async () => {
    await assert.rejects(
        polar.events.ingest({ events: [{ name: "ok", external_customer_id: "c" }, { external_customer_id: "c" }] }),
        (error) => {
            assert.equal(error.name, "HTTPValidationError");
            assert.equal(error.statusCode, 422);
            assert.deepEqual(error.error.detail[0].loc, ["body", "events", 1, "name"]);
            assert.equal(error.error.detail[0].type, "missing");
            return true;
        });
});

test("customers: create, get, get by external id, update, list, delete", async () => {
    const externalId = `ext_${run}`;
    const created = await polar.customers.create({ email: `ada_${run}@example.com`, name: "Ada", external_id: externalId,
                                                   metadata: { plan: "pro" } });
    assert.equal(created.email, `ada_${run}@example.com`);
    assert.equal(created.external_id, externalId);
    assert.equal(created.type, "individual");
    assert.deepEqual(created.metadata, { plan: "pro" });
    assert.equal(created.deleted_at, null);

    assert.equal((await polar.customers.get(created.id)).id, created.id);
    assert.equal((await polar.customers.getExternal(externalId)).id, created.id);

    const renamed = await polar.customers.update(created.id, { name: "Ada Lovelace" });
    assert.equal(renamed.name, "Ada Lovelace");
    const viaExternal = await polar.customers.updateExternal(externalId, { metadata: { plan: "team" } });
    assert.deepEqual(viaExternal.metadata, { plan: "team" });

    const page = await polar.customers.list({ email: `ada_${run}@example.com` });
    assert.equal(page.pagination.total_count, 1);
    assert.equal(page.items[0].id, created.id);

    await assert.rejects(polar.customers.create({ email: `ada_${run}@example.com` }), (error) => {
        assert.equal(error.name, "HTTPValidationError");
        assert.deepEqual(error.error.detail[0].loc, ["body", "email"]);
        return true;
    });

    await polar.customers.deleteExternal(externalId);
    await assert.rejects(polar.customers.get(created.id), (error) => {
        assert.equal(error.name, "ResourceNotFound");
        assert.equal(error.error.error, "ResourceNotFound");
        return true;
    });
});

test("events list and get, with the customer linked when it is created later", async () => {
    const externalCustomerId = `late_${run}`;
    await polar.events.ingest({ events: [
        { name: "completion", external_customer_id: externalCustomerId, timestamp: "2025-03-14T09:00:00Z" },
        { name: "embedding", external_customer_id: externalCustomerId, timestamp: "2025-03-14T10:00:00Z" },
    ] });
    const customer = await polar.customers.create({ email: `late_${run}@example.com`, external_id: externalCustomerId });

    const page = await polar.events.list({ external_customer_id: externalCustomerId, limit: 1 });
    assert.equal(page.pagination.total_count, 2);
    assert.equal(page.pagination.max_page, 2);
    assert.equal(page.items[0].name, "embedding");
    assert.equal(page.items[0].source, "user");
    assert.equal(page.items[0].customer.id, customer.id);

    const byCustomerId = await polar.events.list({ customer_id: customer.id, name: "completion" });
    assert.equal(byCustomerId.items.length, 1);
    const event = await polar.events.get(byCustomerId.items[0].id);
    assert.equal(event.timestamp, "2025-03-14T09:00:00Z");
    assert.equal(event.external_customer_id, externalCustomerId);

    await assert.rejects(otherOrganization.events.get(event.id), (error) => error.name === "ResourceNotFound");
});

test("a bad token is a client error carrying the problem", async () => {
    const stranger = createPolar({ accessToken: "mgl_oat_nope", baseUrl });
    await assert.rejects(stranger.events.list(), (error) => {
        assert.equal(error.statusCode, 401);
        assert.match(error.message, /Unauthorized/);
        return true;
    });
});
