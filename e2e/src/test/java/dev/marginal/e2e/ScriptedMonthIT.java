package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A merchant's September 2026, lived through billing-core's public API on a test clock, and what
 * Trino shows for it per customer, feature and day, to the cent, figured by hand below; then
 * {@code reconcile} finds no difference between the ledger and the warehouse.
 *
 * <p>The merchant sells Trial ($30 a month after 14 free days), Starter ($10 a month plus LLM tokens
 * on graduated tiers: the first 1,000 free, up to 10,000 at 0.1 ¢, beyond at 0.05 ¢) and Pro ($40 a
 * month). Six customers, from 1 September 00:00 UTC:
 * <ul>
 *   <li>ada takes Trial: free until 15 September, then 3,000 ¢ for 15 Sep – 15 Oct (1.00 a day);
 *       two chat calls on 16 September costing 25 ¢ each;
 *   <li>bob takes Starter (1,000 ¢), upgrades to Pro on 16 September with an invoiced proration
 *       (−500 + 2,000 = 1,500 ¢ for the half month left), renews on Pro on 1 October (4,000 ¢);
 *   <li>cyd takes Starter and uses 12,000 tokens in September (2 × 2,000 on the 3rd, 8,000 on the
 *       20th, 50 ¢ of cost per call): billed on 1 October, 0 + 9,000 × 0.1 + 2,000 × 0.05 = 1,000 ¢,
 *       beside October's 1,000 ¢ fee;
 *   <li>dee takes Starter, is refunded 400 ¢ on 10 September, renews on 1 October;
 *   <li>eve takes Starter with a card whose charges are disputed and lost: each charge (1 Sep,
 *       1 Oct) is taken back, and the processor's 1,500 ¢ dispute fee is one more fee;
 *   <li>fay, in Germany without a VAT id, takes Starter: there its price includes VAT (Polar's
 *       {@code location} tax behaviour), so each 1,000 ¢ charge is 840 ¢ of revenue and 160 ¢ of
 *       19 % VAT (1,000 / 1.19 = 840.34, half-even).
 * </ul>
 * Fees are the merchant's all-in 4 % + 40 ¢ of each charge (half-even): 1,000 → 80,
 * 1,500 → 100, 2,000 → 120, 3,000 → 160, 4,000 → 200.
 */
class ScriptedMonthIT {

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    private BillingApi.Organization org;

    @Test
    void aMonthOfTrialUpgradeTieredUsageRefundDisputeAndVatIsInTrinoToTheCentAndReconciles() throws Exception {
        org = billing.newOrganization("e2e-month");
        expect(201, "POST", "/v1/test_helpers/test_clock", "{\"frozen_time\":\"2026-09-01T00:00:00Z\"}");

        String meter = expect(201, "POST", "/v1/meters/", Merchant.TOKENS_METER).get("id").asText();
        String trial = expect(201, "POST", "/v1/products/", """
                {"name":"Trial","recurring_interval":"month","trial_interval":"day","trial_interval_count":14,
                 "prices":[{"amount_type":"fixed","price_currency":"usd","price_amount":3000}]}""").get("id").asText();
        String starter = expect(201, "POST", "/v1/products/", """
                {"name":"Starter","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":1000},
                  {"amount_type":"metered_tiered","meter_id":"%s","tiers":{"type":"graduated","tiers":[
                    {"bound":1000,"unit_amount":"0"},{"bound":10000,"unit_amount":"0.1"},{"bound":null,"unit_amount":"0.05"}]}}]}"""
                .formatted(meter)).get("id").asText();
        String pro = expect(201, "POST", "/v1/products/", """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"usd","price_amount":4000}]}""").get("id").asText();

        customer("ada", "ok", null);
        customer("bob", "ok", null);
        String cyd = customer("cyd", "ok", null);
        customer("dee", "ok", null);
        customer("eve", "dispute_lost", null);
        String fay = customer("fay", "ok", "{\"country\":\"DE\",\"postal_code\":\"10115\"}");
        assertThat(subscribe("ada", trial).get("status").asText()).isEqualTo("trialing");
        String bobSubscription = subscribe("bob", starter).get("id").asText();
        subscribe("cyd", starter);
        String deeOrder = firstOrder(subscribe("dee", starter));
        subscribe("eve", starter);
        subscribe("fay", starter);

        advance("2026-09-03T12:00:00Z");
        chat("cyd", "cyd-3-", "2026-09-03T10:00:00Z", "50", 2_000, 2_000);

        advance("2026-09-10T12:00:00Z");
        assertThat(advanced.get("disputes_decided").asInt()).as("eve's dispute, due 8 September").isEqualTo(1);
        expect(201, "POST", "/v1/refunds/", "{\"order_id\":\"" + deeOrder + "\",\"reason\":\"customer_request\",\"amount\":400}");

        advance("2026-09-16T00:00:00Z");
        assertThat(advanced.get("subscriptions_moved").asInt()).as("ada's trial ended on the 15th").isEqualTo(1);
        expect(200, "PATCH", "/v1/subscriptions/" + bobSubscription,
                "{\"product_id\":\"" + pro + "\",\"proration_behavior\":\"invoice\"}");

        advance("2026-09-20T12:00:00Z");
        chat("ada", "ada-16-", "2026-09-16T06:00:00Z", "25", 300, 500);
        chat("cyd", "cyd-20-", "2026-09-20T10:00:00Z", "50", 8_000);

        advance("2026-10-01T12:00:00Z");
        assertThat(advanced.get("subscriptions_moved").asInt()).as("bob, cyd, dee, eve and fay renew").isEqualTo(5);

        // billing-core's side first: cyd's renewal bills September's tiered usage beside October's fee.
        JsonNode cydOrders = expect(200, "GET", "/v1/orders/?customer_id=" + cyd, null).get("items");
        List<Long> cydTotals = new ArrayList<>();
        cydOrders.forEach(order -> cydTotals.add(order.get("total_amount").asLong()));
        assertThat(cydTotals).containsExactlyInAnyOrder(1_000L, 2_000L);

        handComputedFiguresInTrino(cyd, fay);
        reconciles();
        theSameFiguresEverywhere();

        // Closing the month's days (what the day-close process does every few minutes) rewrites the
        // deltas as one row per key: every figure above must be unchanged, to the cent.
        SharedStack.CommandResult closed = stack.marginal(Duration.ofMinutes(3), "close-days");
        assertThat(closed.exitCode()).as(closed.output()).isZero();
        List<Map<String, String>> deltas = warehouse.rows("""
                SELECT count(*) AS row_count,
                       count(DISTINCT (coalesce(customer_id, ''), coalesce(external_customer_id, ''), feature, day, currency)) AS keys,
                       count_if("$path" NOT LIKE '%-day-close-%') AS rows_not_closed
                FROM marginal.analytics.usage_cost_deltas WHERE organization_id = ? AND day < DATE '2026-11-01'""", org.id());
        // One row each for cyd on 3 and 20 September and ada on 16 September, all in closed files.
        assertThat(deltas.get(0)).containsEntry("row_count", "3").containsEntry("keys", "3").containsEntry("rows_not_closed", "0");
        handComputedFiguresInTrino(cyd, fay);
        reconciles();
    }

    /**
     * Per customer, day and feature by hand, in Trino; the accrued usage against the invoice line.
     * Waits for the pipelines to catch up the first time; afterwards it is a plain check.
     */
    private void handComputedFiguresInTrino(String cyd, String fay) throws Exception {
        // Per customer, every day summed (Sep 1 – Oct 31): revenue = subscription fees + usage − refunds
        // − disputes; gross margin = revenue − cost − fees.
        String perCustomer = """
                SELECT external_customer_id, sum(revenue) AS revenue, sum(subscription_revenue) AS subscription_revenue,
                       sum(usage_revenue) AS usage_revenue, sum(cost) AS cost, sum(fees) AS fees,
                       sum(gross_margin) AS gross_margin, sum(events) AS events
                FROM marginal.analytics.customer_margins WHERE organization_id = ? AND currency = 'usd'
                GROUP BY external_customer_id ORDER BY external_customer_id""";
        Map<String, Map<String, String>> customers = byKey(awaitRows(perCustomer, rows -> rows.size() == 6
                && sum(rows, "events").compareTo(new BigDecimal("5")) == 0
                && sum(rows, "revenue").compareTo(new BigDecimal("157.80")) == 0
                && sum(rows, "fees").compareTo(new BigDecimal("42.20")) == 0), "external_customer_id");
        // ada: 3,000 over 15 Sep – 15 Oct; 2 × 25 ¢; fee 160 → 30.00 − 0.50 − 1.60
        assertCustomer(customers.get("ada"), "30.00", "30.00", "0", "0.50", "1.60", "27.90", "2");
        // bob: 1,000 + (−500 + 2,000) + 4,000; fees 80 + 100 + 200
        assertCustomer(customers.get("bob"), "65.00", "65.00", "0", "0", "3.80", "61.20", "0");
        // cyd: 1,000 + 1,000 fees and 1,000 of usage; 3 × 50 ¢; fees 80 + 120
        assertCustomer(customers.get("cyd"), "30.00", "20.00", "10.00", "1.50", "2.00", "26.50", "3");
        // dee: 1,000 − 400 + 1,000; fees 80 + 80 (a refund returns no fee)
        assertCustomer(customers.get("dee"), "16.00", "20.00", "0", "0", "1.60", "14.40", "0");
        // eve: 2 × (1,000 − 1,000); fees 2 × (80 + 1,500)
        assertCustomer(customers.get("eve"), "0", "20.00", "0", "0", "31.60", "-31.60", "0");
        // fay: 2 × 840 net of VAT; fees 80 + 80 on the 1,000 charged
        assertCustomer(customers.get("fay"), "16.80", "16.80", "0", "0", "1.60", "15.20", "0");

        // Per day: ada earns 1.00 on each of the 30 days of her first paid period, and nothing before it.
        Map<String, String> adaDays = awaitRows("""
                SELECT count(*) AS days, min(day) AS first_day, max(day) AS last_day, min(revenue) AS low, max(revenue) AS high
                FROM marginal.analytics.customer_margins
                WHERE organization_id = ? AND external_customer_id = 'ada' AND revenue <> 0""",
                rows -> "30".equals(rows.get(0).get("days"))).get(0);
        assertThat(adaDays.get("first_day")).isEqualTo("2026-09-15");
        assertThat(adaDays.get("last_day")).isEqualTo("2026-10-14");
        assertThat(decimal(adaDays, "low")).isEqualByComparingTo("1.00");
        assertThat(decimal(adaDays, "high")).isEqualByComparingTo("1.00");
        // dee on 10 September: that day's share of 1,000 over September's 30 days (34 ¢: the ten
        // remainder cents go to the first ten days) less the 4.00 refund.
        Map<String, String> deeRefundDay = day("dee", "2026-09-10");
        assertThat(decimal(deeRefundDay, "revenue")).isEqualByComparingTo("-3.66");
        assertThat(decimal(deeRefundDay, "gross_margin")).isEqualByComparingTo("-3.66");
        // cyd on 1 October: the usage line (on the order's day), October's first day of 1,000 over 31
        // days (33 ¢: eight remainder cents to the first eight days) and the renewal's 1.20 fee.
        Map<String, String> cydRenewalDay = day("cyd", "2026-10-01");
        assertThat(decimal(cydRenewalDay, "usage_revenue")).isEqualByComparingTo("10.00");
        assertThat(decimal(cydRenewalDay, "subscription_revenue")).isEqualByComparingTo("0.33");
        assertThat(decimal(cydRenewalDay, "fees")).isEqualByComparingTo("1.20");
        // eve on 1 September: 0.34 of the fee less the 10.00 taken back; fees 0.80 + 15.00.
        Map<String, String> eveDisputeDay = day("eve", "2026-09-01");
        assertThat(decimal(eveDisputeDay, "revenue")).isEqualByComparingTo("-9.66");
        assertThat(decimal(eveDisputeDay, "fees")).isEqualByComparingTo("15.80");
        assertThat(decimal(eveDisputeDay, "gross_margin")).isEqualByComparingTo("-25.46");

        // Tax is never revenue: fay's 2 × 160 ¢ of German VAT is in revenue_facts' tax, not its revenue.
        Map<String, String> fayFacts = awaitRows("""
                SELECT sum(revenue) AS revenue, sum(tax) AS tax FROM marginal.analytics.revenue_facts
                WHERE organization_id = ? AND customer_id = '%s'""".formatted(fay),
                rows -> decimal(rows.get(0), "tax").compareTo(new BigDecimal("3.20")) == 0).get(0);
        assertThat(decimal(fayFacts, "revenue")).isEqualByComparingTo("16.80");

        // Per feature: the calls' revenue is their customers' revenue on the days they were made
        // (ada 16 Sep 1.00; cyd 3 Sep 0.34 and 20 Sep 0.33), the rest of the revenue is unallocated.
        Map<String, Map<String, String>> features = byKey(awaitRows("""
                SELECT feature, sum(revenue) AS revenue, sum(cost) AS cost, sum(gross_margin) AS gross_margin,
                       sum(events) AS events
                FROM marginal.analytics.feature_margins WHERE organization_id = ? AND currency = 'usd'
                GROUP BY feature ORDER BY feature""", rows -> rows.size() == 2
                && sum(rows, "revenue").compareTo(new BigDecimal("157.80")) == 0), "feature");
        Map<String, String> chat = features.get("chat.completion");
        assertThat(decimal(chat, "revenue")).isEqualByComparingTo("1.67");
        assertThat(decimal(chat, "cost")).isEqualByComparingTo("2.00");
        assertThat(decimal(chat, "gross_margin")).isEqualByComparingTo("-0.33");
        assertThat(chat.get("events")).isEqualTo("5");
        assertThat(decimal(features.get("(unallocated)"), "revenue")).isEqualByComparingTo("156.13");

        // The usage accrued as cyd's calls arrived equals the line billing-core invoiced for them.
        Map<String, String> accrued = awaitRows("""
                SELECT amount, invoiced_amount FROM marginal.analytics.accrued_usage
                WHERE organization_id = ? AND customer_id = '%s' AND period_start = TIMESTAMP '2026-09-01 00:00:00 UTC'"""
                .formatted(cyd), rows -> rows.get(0).get("invoiced_amount") != null).get(0);
        assertThat(decimal(accrued, "amount")).isEqualByComparingTo("10.00");
        assertThat(decimal(accrued, "invoiced_amount")).isEqualByComparingTo("10.00");

    }

    private void reconciles() {
        SharedStack.CommandResult reconciled = stack.marginal(Duration.ofMinutes(3), "reconcile", "--org", org.id(),
                "--from", "2026-09-01", "--to", "2026-10-31", "--settle", "60");
        assertThat(reconciled.exitCode()).as(reconciled.output()).isZero();
        assertThat(reconciled.output()).contains("0 difference(s)");
    }

    /**
     * Issue 7's agreement on this organisation, in cents: the founder dashboard (as the
     * organisation's analyst), the views and the nightly report show the same revenue, LLM cost,
     * fees and margin — for 1 October, and (dashboard and views) for the whole history — the
     * figures reconcile has just proven against the ledger. 1 October by hand: ada 1.00; bob
     * 4,000 / 31 days → 1.30 (the one remainder cent to the first day); cyd 0.33 + the 10.00 usage
     * line; dee 0.33; eve 0.33 − 10.00 taken back; fay 840 / 31 → 0.28; fees bob 2.00, cyd 1.20,
     * dee 0.80, eve 0.80 + 15.00, fay 0.80.
     */
    private void theSameFiguresEverywhere() throws Exception {
        Cents october1 = new Cents(357, 0, 2060, -1703);
        assertThat(views("2026-10-01", "2026-10-01")).isEqualTo(october1);

        SharedStack.CommandResult report = stack.marginal(Duration.ofMinutes(3), "report", "--date", "2026-10-01",
                "--org", org.slug());
        assertThat(report.exitCode()).as(report.output()).isZero();
        Map<String, String> reported = warehouse.rows("""
                SELECT recognised, llm_cost, fees_recognised, margin FROM marginal.reports.daily_revenue
                WHERE organization_id = ? AND report_date = DATE '2026-10-01' AND currency = 'usd'""", org.id()).get(0);
        assertThat(Cents.of(reported, "recognised", "llm_cost", "fees_recognised", "margin")).isEqualTo(october1);

        String analyst = "month-" + org.slug();
        SharedStack.CommandResult created = stack.marginal(Duration.ofMinutes(1), "analyst", analyst, org.slug());
        assertThat(created.exitCode()).as(created.output()).isZero();
        String cookie = dashboardLogin(analyst, stack.trinoPassword(analyst));
        // The dashboard's longest window (366 days to today) holds all of September and October.
        Cents everything = new Cents(15_780, 200, 4_220, 11_360);
        assertThat(views("2026-09-01", "2026-10-31")).isEqualTo(everything);
        assertThat(dashboard(cookie, 366)).isEqualTo(everything);
    }

    /** One figure set in cents (half-even from the warehouse's 12 decimals). */
    private record Cents(long revenue, long llmCost, long fees, long grossMargin) {

        static Cents of(Map<String, String> row, String revenue, String cost, String fees, String margin) {
            return new Cents(cents(decimal(row, revenue)), cents(decimal(row, cost)), cents(decimal(row, fees)),
                    cents(decimal(row, margin)));
        }

        private static long cents(BigDecimal major) {
            return major.setScale(2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
        }
    }

    private Cents views(String from, String to) throws Exception {
        Map<String, String> row = warehouse.rows("""
                SELECT sum(revenue) AS revenue, sum(cost) AS cost, sum(fees) AS fees, sum(gross_margin) AS margin
                FROM marginal.analytics.customer_margins
                WHERE organization_id = ? AND currency = 'usd' AND day BETWEEN DATE '%s' AND DATE '%s'"""
                .formatted(from, to), org.id()).get(0);
        return Cents.of(row, "revenue", "cost", "fees", "margin");
    }

    /** Logs in as {@code user}; Trino learns a new password within seconds, and the dashboard asks Trino. */
    private String dashboardLogin(String user, String password) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(stack.dashboardUrl() + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=" + user + "&password=" + password)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (login.statusCode() == 303 || attempt == 60) {
                assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
                return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            }
            Thread.sleep(500);
        }
    }

    private Cents dashboard(String cookie, int days) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        stack.dashboardUrl() + "/orgs/" + org.id() + "/figures?currency=usd&days=" + days))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode totals = BillingApi.JSON.readTree(response.body()).get("totals");
        return new Cents(totals.at("/revenue/minor").asLong(), totals.at("/llmCost/minor").asLong(),
                totals.at("/fees/minor").asLong(), totals.at("/grossMargin/minor").asLong());
    }

    private JsonNode advanced;

    /** Moves the organisation's test clock; {@link #advanced} keeps what the sweep did. */
    private void advance(String to) throws Exception {
        advanced = billing.advanceTestClock(org, to);
    }

    private String customer(String externalId, String card, String address) throws Exception {
        return expect(201, "POST", "/v1/customers/", "{\"email\":\"" + externalId + "@example.com\",\"external_id\":\""
                + externalId + "\",\"metadata\":{\"sandbox_card\":\"" + card + "\"}"
                + (address == null ? "" : ",\"billing_address\":" + address) + "}").get("id").asText();
    }

    private JsonNode subscribe(String externalCustomerId, String product) throws Exception {
        return expect(201, "POST", "/v1/subscriptions/", "{\"product_id\":\"" + product + "\",\"external_customer_id\":\""
                + externalCustomerId + "\"}");
    }

    private String firstOrder(JsonNode subscription) throws Exception {
        return expect(200, "GET", "/v1/orders/?subscription_id=" + subscription.get("id").asText(), null)
                .get("items").get(0).get("id").asText();
    }

    /** Chat calls at {@code timestamp} of {@code tokens[i]} tokens each, each costing {@code costCents}. */
    private void chat(String externalCustomerId, String idPrefix, String timestamp, String costCents, long... tokens)
            throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            events.add("{\"name\":\"chat.completion\",\"external_customer_id\":\"" + externalCustomerId
                    + "\",\"external_id\":\"" + idPrefix + i + "\",\"timestamp\":\"" + timestamp
                    + "\",\"metadata\":{\"_llm\":{\"vendor\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":"
                    + (tokens[i] - 100) + ",\"output_tokens\":100,\"total_tokens\":" + tokens[i]
                    + "},\"_cost\":{\"amount\":" + costCents + ",\"currency\":\"usd\"}}}");
        }
        JsonNode result = expect(200, "POST", "/v1/events/ingest", "{\"events\":[" + String.join(",", events) + "]}");
        assertThat(result.get("inserted").asInt()).isEqualTo(tokens.length);
    }

    private JsonNode expect(int status, String method, String path, String body) throws Exception {
        return billing.expect(org, status, method, path, body);
    }

    private Map<String, String> day(String externalCustomerId, String day) throws Exception {
        List<Map<String, String>> rows = warehouse.rows("""
                SELECT revenue, subscription_revenue, usage_revenue, cost, fees, gross_margin
                FROM marginal.analytics.customer_margins
                WHERE organization_id = ? AND external_customer_id = '%s' AND day = DATE '%s'"""
                .formatted(externalCustomerId, day), org.id());
        assertThat(rows).as(externalCustomerId + " on " + day).hasSize(1);
        return rows.get(0);
    }

    private static void assertCustomer(Map<String, String> row, String revenue, String subscriptionRevenue,
                                       String usageRevenue, String cost, String fees, String grossMargin, String events) {
        assertThat(row).as("a row for the customer").isNotNull();
        String who = row.get("external_customer_id");
        assertThat(decimal(row, "revenue")).as(who + " revenue").isEqualByComparingTo(revenue);
        assertThat(decimal(row, "subscription_revenue")).as(who + " subscription revenue").isEqualByComparingTo(subscriptionRevenue);
        assertThat(decimal(row, "usage_revenue")).as(who + " usage revenue").isEqualByComparingTo(usageRevenue);
        assertThat(decimal(row, "cost")).as(who + " cost").isEqualByComparingTo(cost);
        assertThat(decimal(row, "fees")).as(who + " fees").isEqualByComparingTo(fees);
        assertThat(decimal(row, "gross_margin")).as(who + " gross margin").isEqualByComparingTo(grossMargin);
        assertThat(decimal(row, "events")).as(who + " events").isEqualByComparingTo(events);
    }

    private List<Map<String, String>> awaitRows(String sql, Predicate<List<Map<String, String>>> done) throws Exception {
        return warehouse.awaitRows(sql, org.id(), done, Duration.ofMinutes(3));
    }

    private static Map<String, Map<String, String>> byKey(List<Map<String, String>> rows, String column) {
        Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
        rows.forEach(row -> byKey.put(row.get(column), row));
        return byKey;
    }

    private static BigDecimal sum(List<Map<String, String>> rows, String column) {
        return rows.stream().map(row -> decimal(row, column)).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal decimal(Map<String, String> row, String column) {
        String value = row.get(column);
        return value == null ? BigDecimal.ZERO : new BigDecimal(value);
    }
}
