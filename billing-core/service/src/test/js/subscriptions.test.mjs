// Products, prices and subscriptions through Polar's SDK: create, read, change a price (the old one
// is archived), subscribe by external id, cancel at period end, undo it, revoke; illegal moves are errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPolar } from "@polar-sh/sdk/2026-10";

const baseUrl = process.env.MARGINAL_BASE_URL;
const polar = createPolar({ accessToken: process.env.MARGINAL_TOKEN, baseUrl, timeout: 30 });
const other = createPolar({ accessToken: process.env.MARGINAL_OTHER_TOKEN, baseUrl, timeout: 30 });
const run = Date.now().toString(36);

test("a monthly product: create, get, list, change its price", async () => {
    const product = await polar.products.create({ name: `Pro ${run}`, recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_currency: "usd", price_amount: 2900 }] });
    assert.equal(product.is_recurring, true);
    assert.equal(product.prices[0].price_amount, 2900);
    assert.equal((await polar.products.get(product.id)).name, `Pro ${run}`);
    const listed = await polar.products.list({ query: run });
    assert.deepEqual(listed.items.map((p) => p.id), [product.id]);

    const changed = await polar.products.update(product.id, {
        prices: [{ amount_type: "fixed", price_currency: "usd", price_amount: 3900 }] });
    assert.equal(changed.prices.length, 1);
    assert.notEqual(changed.prices[0].id, product.prices[0].id);
    assert.equal(changed.prices[0].price_amount, 3900);

    await assert.rejects(polar.products.create({ name: "x", prices: [] }), (error) => {
        assert.equal(error.statusCode, 422);
        return true;
    });
    await assert.rejects(other.products.get(product.id), (error) => {
        assert.equal(error.statusCode, 404);
        return true;
    });
});

test("a subscription: create by external id, cancel at period end, undo, revoke", async () => {
    const customer = await polar.customers.create({ email: `sub_${run}@example.com`, external_id: `sub_${run}` });
    const product = await polar.products.create({ name: `Team ${run}`, recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_currency: "usd", price_amount: 9900 }] });

    const created = await polar.subscriptions.create({ product_id: product.id, external_customer_id: `sub_${run}` });
    assert.equal(created.status, "active");
    assert.equal(created.customer.id, customer.id);
    assert.equal(created.amount, 9900);
    assert.equal((await polar.subscriptions.get(created.id)).product.id, product.id);
    const listed = await polar.subscriptions.list({ customer_id: customer.id, active: true });
    assert.deepEqual(listed.items.map((s) => s.id), [created.id]);

    const canceled = await polar.subscriptions.update(created.id, { cancel_at_period_end: true });
    assert.equal(canceled.cancel_at_period_end, true);
    assert.equal(canceled.ends_at, canceled.current_period_end);
    const undone = await polar.subscriptions.update(created.id, { cancel_at_period_end: false });
    assert.equal(undone.cancel_at_period_end, false);

    const revoked = await polar.subscriptions.revoke(created.id);
    assert.equal(revoked.status, "canceled");
    await assert.rejects(polar.subscriptions.revoke(created.id), (error) => {
        assert.equal(error.statusCode, 409);
        return true;
    });
    await assert.rejects(other.subscriptions.get(created.id), (error) => {
        assert.equal(error.statusCode, 404);
        return true;
    });
});

test("a plan change: invoice now, then a change scheduled for the next period", async () => {
    await polar.customers.create({ email: `plan_${run}@example.com`, external_id: `plan_${run}` });
    const basic = await polar.products.create({ name: `Basic ${run}`, recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_currency: "usd", price_amount: 2900 }] });
    const team = await polar.products.create({ name: `Team plan ${run}`, recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_currency: "usd", price_amount: 9900 }] });
    const created = await polar.subscriptions.create({ product_id: basic.id, external_customer_id: `plan_${run}` });

    const upgraded = await polar.subscriptions.update(created.id, { product_id: team.id, proration_behavior: "invoice" });
    assert.equal(upgraded.product.id, team.id);
    assert.equal(upgraded.amount, 9900);
    const orders = await polar.orders.list({ subscription_id: created.id, sorting: ["created_at"] });
    assert.deepEqual(orders.items.map((o) => o.billing_reason), ["subscription_create", "subscription_update"]);

    const scheduled = await polar.subscriptions.update(created.id, { product_id: basic.id, proration_behavior: "next_period" });
    assert.equal(scheduled.product.id, team.id);
    assert.equal(scheduled.pending_update.product_id, basic.id);
    assert.equal(new Date(scheduled.pending_update.applies_at).getTime(), new Date(scheduled.current_period_end).getTime());

    await assert.rejects(polar.subscriptions.update(created.id, { product_id: team.id, proration_behavior: "reset" }),
        (error) => {
            assert.equal(error.statusCode, 422);
            return true;
        });
});
