// Refunds and disputes through Polar's SDK: a partial then a full refund of a paid order, the
// errors Polar's SDK knows (RefundedAlready, HTTPValidationError), and a sandbox chargeback read
// with disputes.list/get and conceded with disputes.accept; another organisation sees none of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPolar } from "@polar-sh/sdk/2026-10";

const baseUrl = process.env.MARGINAL_BASE_URL;
const polar = createPolar({ accessToken: process.env.MARGINAL_TOKEN, baseUrl, timeout: 30 });
const other = createPolar({ accessToken: process.env.MARGINAL_OTHER_TOKEN, baseUrl, timeout: 30 });
const run = Date.now().toString(36);

async function paidOrder(tag, metadata) {
    const customer = await polar.customers.create({ email: `${tag}_${run}@example.com`, external_id: `${tag}_${run}`,
        metadata });
    const product = await polar.products.create({ name: `Refunds ${tag} ${run}`, recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_currency: "usd", price_amount: 2900 }] });
    await polar.subscriptions.create({ product_id: product.id, customer_id: customer.id });
    const orders = await polar.orders.list({ customer_id: customer.id });
    return orders.items[0];
}

test("refunds: partial, full, then RefundedAlready; lists by order; other organisations get a 422", async () => {
    const order = await paidOrder("ref", {});

    const partial = await polar.refunds.create({ order_id: order.id, reason: "customer_request", amount: 900 });
    assert.equal(partial.status, "succeeded");
    assert.equal(partial.amount, 900);
    assert.equal(partial.tax_amount, 0);
    assert.equal(partial.order_id, order.id);
    assert.equal((await polar.orders.get(order.id)).status, "partially_refunded");

    await assert.rejects(polar.refunds.create({ order_id: order.id, reason: "other", amount: 2001 }), (error) => {
        assert.equal(error.statusCode, 400);
        return true;
    });
    await polar.refunds.create({ order_id: order.id, reason: "other", amount: 2000 });
    const refunded = await polar.orders.get(order.id);
    assert.equal(refunded.status, "refunded");
    assert.equal(refunded.refunded_amount, 2900);

    await assert.rejects(polar.refunds.create({ order_id: order.id, reason: "other", amount: 1 }), (error) => {
        assert.equal(error.name, "RefundedAlready");
        assert.equal(error.statusCode, 403);
        return true;
    });
    await assert.rejects(other.refunds.create({ order_id: order.id, reason: "other", amount: 1 }), (error) => {
        assert.equal(error.name, "HTTPValidationError");
        assert.deepEqual(error.error.detail[0].loc, ["body", "order_id"]);
        return true;
    });

    const listed = await polar.refunds.list({ order_id: order.id, sorting: ["amount"] });
    assert.deepEqual(listed.items.map((r) => r.amount), [900, 2000]);
    assert.equal((await other.refunds.list({ order_id: order.id })).items.length, 0);
});

test("disputes: a sandbox chargeback is listed, read and accepted; accepting twice is DisputeNotOpenError", async () => {
    const order = await paidOrder("dsp", { sandbox_card: "dispute_won" });

    const listed = await polar.disputes.list({ order_id: order.id });
    assert.equal(listed.items.length, 1);
    const dispute = await polar.disputes.get(listed.items[0].id);
    assert.equal(dispute.status, "needs_response");
    assert.equal(dispute.amount, 2900);
    assert.equal(dispute.order_id, order.id);
    assert.equal(dispute.customer.id, order.customer_id);

    const accepted = await polar.disputes.accept(dispute.id);
    assert.equal(accepted.status, "lost");
    assert.equal(accepted.resolved, true);
    await assert.rejects(polar.disputes.accept(dispute.id), (error) => {
        assert.equal(error.name, "DisputeNotOpenError");
        return true;
    });
    await assert.rejects(other.disputes.get(dispute.id), (error) => {
        assert.equal(error.name, "ResourceNotFound");
        return true;
    });
});
