// Meters and customer meters through Polar's SDK: the quantities a Polar user reads are the ones
// Marginal's pricing engine computes for the invoice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPolar } from "@polar-sh/sdk/2026-10";

const baseUrl = process.env.MARGINAL_BASE_URL;
const polar = createPolar({ accessToken: process.env.MARGINAL_TOKEN, baseUrl, timeout: 30 });
const run = Date.now().toString(36);

const llm = (tokens) => ({ _llm: { vendor: "openai", model: "gpt-4o-mini", input_tokens: tokens - 1,
                                   output_tokens: 1, total_tokens: tokens } });

test("a token meter: create, get, list, update, quantities per day, customer meters", async () => {
    const customer = await polar.customers.create({ email: `meter_${run}@example.com`, external_id: `m_${run}` });
    await polar.events.ingest({ events: [
        { name: `completion_${run}`, external_customer_id: `m_${run}`, timestamp: "2025-03-01T09:00:00Z", metadata: llm(900) },
        { name: `completion_${run}`, external_customer_id: `m_${run}`, timestamp: "2025-03-01T23:00:00Z", metadata: llm(100) },
        { name: `completion_${run}`, customer_id: customer.id, timestamp: "2025-03-02T08:00:00Z", metadata: llm(50) },
        { name: `completion_${run}`, external_customer_id: `someone_else_${run}`, timestamp: "2025-03-02T08:00:00Z", metadata: llm(7) },
        { name: `embedding_${run}`, external_customer_id: `m_${run}`, timestamp: "2025-03-02T09:00:00Z", metadata: llm(1000) },
    ] });

    const meter = await polar.meters.create({
        name: `Tokens ${run}`,
        filter: { conjunction: "and", clauses: [
            { property: "name", operator: "eq", value: `completion_${run}` },
            { conjunction: "or", clauses: [{ property: "metadata._llm.vendor", operator: "eq", value: "openai" }] },
        ] },
        aggregation: { func: "sum", property: "_llm.total_tokens" },
        unit: "token",
    });
    assert.equal(meter.unit, "token");
    assert.deepEqual(meter.aggregation, { func: "sum", property: "_llm.total_tokens" });
    assert.equal((await polar.meters.get(meter.id)).name, `Tokens ${run}`);
    const listed = await polar.meters.list({ query: run });
    assert.equal(listed.items.length, 1);

    const all = await polar.meters.quantities(meter.id, {
        start_timestamp: "2025-03-01T00:00:00Z", end_timestamp: "2025-03-03T00:00:00Z", interval: "day" });
    // 1 March: 900 + 100; 2 March: 50 + 7 (another customer); 3 March: nothing. Embeddings are filtered out.
    assert.deepEqual(all.quantities.map((q) => [q.timestamp, q.quantity]),
        [["2025-03-01T00:00:00Z", 1000], ["2025-03-02T00:00:00Z", 57], ["2025-03-03T00:00:00Z", 0]]);
    assert.equal(all.total, 1057);

    const mine = await polar.meters.quantities(meter.id, {
        start_timestamp: "2025-03-01T00:00:00Z", end_timestamp: "2025-03-31T00:00:00Z", interval: "month",
        external_customer_id: `m_${run}` });
    assert.equal(mine.total, 1050);

    const renamed = await polar.meters.update(meter.id, { name: `Completion tokens ${run}` });
    assert.equal(renamed.name, `Completion tokens ${run}`);

    const customerMeters = await polar.customerMeters.list({ customer_id: customer.id, meter_id: meter.id });
    assert.equal(customerMeters.pagination.total_count, 1);
    assert.equal(customerMeters.items[0].consumed_units, 1050);
    assert.equal(customerMeters.items[0].balance, -1050);
    const again = await polar.customerMeters.get(customerMeters.items[0].id);
    assert.equal(again.customer.id, customer.id);
    assert.equal(again.meter.id, meter.id);

    await assert.rejects(polar.meters.quantities(meter.id, {
        start_timestamp: "2025-03-01T00:00:00Z", end_timestamp: "2025-03-02T00:00:00Z", interval: "fortnight" }),
        (error) => error.name === "HTTPValidationError" && error.error.detail[0].loc.join(".") === "query.interval");
});

test("a meter with a bad filter is refused with the clause's location", async () => {
    await assert.rejects(polar.meters.create({ name: "Broken", filter: { conjunction: "and", clauses: [
        { property: "name", operator: "equals", value: "x" }] }, aggregation: { func: "count" } }),
        (error) => {
            assert.equal(error.name, "HTTPValidationError");
            assert.deepEqual(error.error.detail[0].loc, ["body", "filter", "clauses", 0, "operator"]);
            return true;
        });
});
