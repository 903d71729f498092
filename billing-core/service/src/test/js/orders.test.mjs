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

test("an order's invoice: generateInvoice, invoice's signed URL, and the SDK's error classes", async () => {
    const address = { line1: "Invalidenstraße 117", postal_code: "10115", city: "Berlin", country: "DE" };
    const product = await polar.products.create({ name: `Invoiced ${run}`, recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_currency: "eur", price_amount: 2900, tax_behavior: "exclusive" }] });
    const lena = await polar.customers.create({ email: `inv_${run}@example.com`, external_id: `inv_${run}`,
        name: "Lena Becker", billing_address: address });
    await polar.subscriptions.create({ product_id: product.id, customer_id: lena.id });
    const [order] = (await polar.orders.list({ customer_id: lena.id })).items;
    assert.equal(order.is_invoice_generated, false);

    await polar.orders.generateInvoice(order.id);
    const generated = await polar.orders.get(order.id);
    assert.equal(generated.is_invoice_generated, true);
    assert.match(generated.invoice_number, /^INV-\d{4}-\d{4,}$/);
    const { url } = await polar.orders.invoice(order.id);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes(generated.invoice_number));
    // 2,900 + 19 % German VAT 551 = 3,451
    assert.ok(html.includes("34.51 EUR"));

    const nameless = await polar.customers.create({ email: `inv2_${run}@example.com`, external_id: `inv2_${run}` });
    await polar.subscriptions.create({ product_id: product.id, customer_id: nameless.id });
    const [bare] = (await polar.orders.list({ customer_id: nameless.id })).items;
    await assert.rejects(polar.orders.generateInvoice(bare.id), (error) => {
        assert.equal(error.name, "MissingInvoiceBillingDetails");
        assert.equal(error.statusCode, 422);
        return true;
    });
    await assert.rejects(other.orders.invoice(order.id), (error) => {
        assert.equal(error.statusCode, 404);
        return true;
    });
});
