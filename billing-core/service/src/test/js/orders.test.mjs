// Orders through Polar's SDK: subscribing makes a paid order for the first period, readable with
// orders.list and orders.get in Polar's 2026-10 Order shape; another organisation sees nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPolar } from "@polar-sh/sdk/2026-10";

const baseUrl = process.env.MARGINAL_BASE_URL;
const polar = createPolar({ accessToken: process.env.MARGINAL_TOKEN, baseUrl, timeout: 30 });
const other = createPolar({ accessToken: process.env.MARGINAL_OTHER_TOKEN, baseUrl, timeout: 30 });
const run = Date.now().toString(36);

test("a subscription's first order: list, get, and another organisation's 404", async () => {
    const customer = await polar.customers.create({ email: `ord_${run}@example.com`, external_id: `ord_${run}` });
    const product = await polar.products.create({ name: `Orders ${run}`, recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_currency: "usd", price_amount: 2900 }] });
    const subscription = await polar.subscriptions.create({ product_id: product.id, customer_id: customer.id });

    const listed = await polar.orders.list({ customer_id: customer.id });
    assert.equal(listed.items.length, 1);
    const order = await polar.orders.get(listed.items[0].id);
    assert.equal(order.status, "paid");
    assert.equal(order.billing_reason, "subscription_create");
    assert.equal(order.subscription_id, subscription.id);
    assert.equal(order.total_amount, 2900);
    assert.equal(order.items.length, 1);
    assert.equal(order.items[0].amount, 2900);
    // 2.9 % + 30¢ = 114 to the processor; 4 % + 40¢ all-in = 156; the platform keeps 42
    assert.equal(order.platform_fee_amount, 42);

    await assert.rejects(other.orders.get(order.id), (error) => {
        assert.equal(error.statusCode, 404);
        return true;
    });
});
