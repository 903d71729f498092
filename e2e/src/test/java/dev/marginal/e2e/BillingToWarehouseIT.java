package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marginal.pricing.Money;
import dev.marginal.pricing.price.MeteredUnitPrice;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A merchant's first day through billing-core's API — a monthly plan of $29 plus 0.01 ¢ per LLM
 * token, two customers subscribing with sandbox cards, their chat completions with the merchant's
 * own cost — seen in Trino to the cent: the orders, the recognised revenue and fees, each
 * customer's margin, the month's MRR and the usage accrued so far; and reconcile agrees.
 */
class BillingToWarehouseIT {

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    @Test
    void aMerchantsFirstDayIsInTheWarehouseToTheCentAndReconciles() throws Exception {
        Merchant merchant = new Merchant(billing, billing.newOrganization("e2e-revenue")).withProPlan(2900, "0.01");
        String org = merchant.org.id();
        String ada = merchant.customer("ada");
        String grace = merchant.customer("grace");
        JsonNode adaSubscription = merchant.subscribe("ada");
        merchant.subscribe("grace");
        // Each call costs the merchant 12.5 ¢ (its own _cost, in cents).
        merchant.chat("ada", "ada-", "12.5", 1_200, 2_500, 800);
        merchant.chat("grace", "grace-", "12.5", 1_000);

        // billing-core's side: two paid first-period orders of $29.00, no tax (no address, no place of supply);
        // fees on $29.00: processor 2.9 % = 84.1 → 84 + 30 = 114 ¢; all-in 4 % = 116 + 40 = 156 ¢, so platform 42 ¢.
        JsonNode orders = merchant.get("/v1/orders/?subscription_id=" + adaSubscription.get("id").asText()).get("items");
        assertThat(orders).hasSize(1);
        assertThat(orders.get(0).get("total_amount").asLong()).isEqualTo(2900);
        assertThat(orders.get(0).get("tax_amount").asLong()).isZero();
        assertThat(orders.get(0).get("platform_fee_amount").asLong()).isEqualTo(42);

        // raw.orders mirrors them.
        List<Map<String, String>> rawOrders = await("""
                SELECT customer_id, status, billing_reason, total_amount, net_amount, tax_amount FROM marginal.raw.orders
                WHERE organization_id = ? ORDER BY customer_id""", org, rows -> rows.size() == 2
                && rows.stream().allMatch(r -> r.get("status").equals("paid")));
        assertThat(rawOrders).extracting(r -> r.get("customer_id")).containsExactlyInAnyOrder(ada, grace);
        assertThat(rawOrders).allSatisfy(r -> {
            assertThat(r.get("billing_reason")).isEqualTo("subscription_create");
            assertThat(r.get("total_amount")).isEqualTo("2900");
            assertThat(r.get("net_amount")).isEqualTo("2900");
            assertThat(r.get("tax_amount")).isEqualTo("0");
        });

        // revenue_facts: each $29.00 spread over its period's days sums back to it exactly; 2 × 156 ¢ of fees.
        Map<String, String> facts = await("""
                SELECT sum(revenue) AS revenue, sum(tax) AS tax, sum(fees) AS fees,
                       sum(CASE WHEN fact_type = 'subscription' THEN revenue END) AS subscriptions
                FROM marginal.analytics.revenue_facts WHERE organization_id = ?""", org,
                rows -> decimal(rows.get(0), "revenue").compareTo(new BigDecimal("58.00")) == 0
                        && decimal(rows.get(0), "fees").compareTo(new BigDecimal("3.12")) == 0).get(0);
        assertThat(decimal(facts, "subscriptions")).isEqualByComparingTo("58.00");
        assertThat(decimal(facts, "tax")).isEqualByComparingTo("0");

        // customer_margins over all days: ada = 29.00 − 3 × 0.125 − 1.56 = 27.065; grace = 29.00 − 0.125 − 1.56 = 27.315.
        String margins = """
                SELECT customer_id, external_customer_id, sum(revenue) AS revenue, sum(subscription_revenue) AS subscription_revenue,
                       sum(usage_revenue) AS usage_revenue, sum(cost) AS cost, sum(fees) AS fees,
                       sum(gross_margin) AS gross_margin, sum(events) AS events
                FROM marginal.analytics.customer_margins WHERE organization_id = ? AND currency = 'usd'
                GROUP BY customer_id, external_customer_id ORDER BY external_customer_id""";
        List<Map<String, String>> customers = await(margins, org, rows -> rows.size() == 2
                && rows.stream().mapToLong(r -> Long.parseLong(r.get("events"))).sum() == 4
                && rows.stream().allMatch(r -> decimal(r, "revenue").compareTo(new BigDecimal("29.00")) == 0));
        Map<String, String> adaMargin = customers.get(0);
        assertThat(adaMargin.get("customer_id")).isEqualTo(ada);
        assertThat(adaMargin.get("external_customer_id")).isEqualTo("ada");
        assertThat(decimal(adaMargin, "subscription_revenue")).isEqualByComparingTo("29.00");
        assertThat(decimal(adaMargin, "usage_revenue")).isEqualByComparingTo("0");
        assertThat(decimal(adaMargin, "cost")).isEqualByComparingTo("0.375");
        assertThat(decimal(adaMargin, "fees")).isEqualByComparingTo("1.56");
        assertThat(decimal(adaMargin, "gross_margin")).isEqualByComparingTo("27.065");
        assertThat(adaMargin.get("events")).isEqualTo("3");
        Map<String, String> graceMargin = customers.get(1);
        assertThat(graceMargin.get("customer_id")).isEqualTo(grace);
        assertThat(decimal(graceMargin, "cost")).isEqualByComparingTo("0.125");
        assertThat(decimal(graceMargin, "gross_margin")).isEqualByComparingTo("27.315");

        // mrr this month: two new customers at $29.00 a month.
        Map<String, String> mrr = await("""
                SELECT mrr, new_mrr, churned_mrr, customers FROM marginal.analytics.mrr
                WHERE organization_id = ? AND currency = 'usd' AND month = date_trunc('month', current_date)""", org,
                rows -> rows.size() == 1).get(0);
        assertThat(decimal(mrr, "mrr")).isEqualByComparingTo("58.00");
        assertThat(decimal(mrr, "new_mrr")).isEqualByComparingTo("58.00");
        assertThat(decimal(mrr, "churned_mrr")).isEqualByComparingTo("0");
        assertThat(mrr.get("customers")).isEqualTo("2");

        // Accrued usage, not invoiced until the renewal: ada 1,200 + 2,500 + 800 = 4,500 tokens × 0.01 ¢ = 45 ¢;
        // grace 1,000 tokens = 10 ¢.
        List<Map<String, String>> accrued = await("""
                SELECT customer_id, price_id, meter_id, status, quantity, amount, events, invoiced_amount, period_start
                FROM marginal.analytics.accrued_usage WHERE organization_id = ? ORDER BY amount DESC""", org,
                rows -> rows.size() == 2 && rows.stream().mapToLong(r -> Long.parseLong(r.get("events"))).sum() == 4);
        Map<String, String> adaAccrued = accrued.get(0);
        assertThat(adaAccrued.get("customer_id")).isEqualTo(ada);
        assertThat(adaAccrued.get("price_id")).isEqualTo(merchant.meteredPriceId);
        assertThat(adaAccrued.get("meter_id")).isEqualTo(merchant.meterId);
        assertThat(adaAccrued.get("status")).isEqualTo("open");
        assertThat(decimal(adaAccrued, "quantity")).isEqualByComparingTo("4500");
        assertThat(decimal(adaAccrued, "amount")).isEqualByComparingTo("0.45");
        assertThat(adaAccrued.get("invoiced_amount")).isNull();
        assertThat(accrued.get(1).get("customer_id")).isEqualTo(grace);
        assertThat(decimal(accrued.get(1), "amount")).isEqualByComparingTo("0.10");

        // The same figure as billing-core will invoice: its meter's quantity for ada's period, priced by the engine.
        String from = adaSubscription.get("current_period_start").asText();
        JsonNode quantities = merchant.get("/v1/meters/" + merchant.meterId + "/quantities?interval=day&customer_id=" + ada
                + "&start_timestamp=" + URLEncoder.encode(from, StandardCharsets.UTF_8)
                + "&end_timestamp=" + URLEncoder.encode(Instant.now().toString(), StandardCharsets.UTF_8));
        BigDecimal quantity = quantities.get("total").decimalValue();
        Money line = new MeteredUnitPrice(Money.currency("usd"), new BigDecimal("0.01")).amount(quantity);
        assertThat(decimal(adaAccrued, "amount")).isEqualByComparingTo(line.toMajor());

        SharedStack.CommandResult reconciled = stack.marginal(Duration.ofMinutes(2), "reconcile", "--org", org, "--settle", "60");
        assertThat(reconciled.exitCode()).as(reconciled.output()).isZero();
        assertThat(reconciled.output()).contains("0 difference(s)");
    }

    private static BigDecimal decimal(Map<String, String> row, String column) {
        String value = row.get(column);
        return value == null ? BigDecimal.ZERO : new BigDecimal(value);
    }

    private List<Map<String, String>> await(String sql, String organizationId,
                                            Predicate<List<Map<String, String>>> done) throws Exception {
        return warehouse.awaitRows(sql, organizationId, done, Duration.ofMinutes(2));
    }
}
