package dev.marginal.billing.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.marginal.billing.BillingApiTest;
import dev.marginal.billing.ledger.Ledger;
import dev.marginal.billing.subscription.MutableClock;
import dev.marginal.billing.subscription.Subscriptions;
import tools.jackson.databind.JsonNode;

/**
 * Marginal sells as merchant of record from Ireland (marginal.tax.seller-country=IE) to customers
 * across the EU, the UK and the US. Each case is one subscription's first order at €29 / $29.
 */
class TaxApiTest extends BillingApiTest {

    static final Instant MAR_15 = Instant.parse("2025-03-15T12:00:00Z");

    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(MAR_15);
        }
    }

    @Autowired
    MutableClock clock;

    @Autowired
    Subscriptions subscriptions;

    @Autowired
    Ledger ledger;

    @Autowired
    dev.marginal.billing.dispute.Disputes disputes;

    @BeforeEach
    void march() {
        clock.set(MAR_15);
    }

    private String product(Tenant tenant, String currency, String taxBehavior) {
        String behavior = taxBehavior == null ? "" : ",\"tax_behavior\":\"" + taxBehavior + "\"";
        Reply reply = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"%s","price_amount":2900%s}]}""".formatted(currency, behavior));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    private Reply createCustomer(Tenant tenant, String externalId, String address, String taxId) {
        return post("/v1/customers/", tenant.bearer(), "{\"email\":\"" + externalId + "@example.com\",\"external_id\":\""
                + externalId + "\",\"billing_address\":" + address
                + (taxId == null ? "" : ",\"tax_id\":\"" + taxId + "\"") + "}");
    }

    private void customer(Tenant tenant, String externalId, String address, String taxId) {
        Reply reply = createCustomer(tenant, externalId, address, taxId);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    private static String address(String country, String postalCode) {
        return postalCode == null ? "{\"country\":\"" + country + "\"}"
                : "{\"country\":\"" + country + "\",\"postal_code\":\"" + postalCode + "\"}";
    }

    private JsonNode firstOrder(Tenant tenant, String product, String externalCustomerId) {
        Reply sub = post("/v1/subscriptions/", tenant.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"" + externalCustomerId + "\"}");
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        return orders(tenant, sub.json().get("id").stringValue()).get(0);
    }

    private List<JsonNode> orders(Tenant tenant, String subscriptionId) {
        Reply reply = get("/v1/orders/?subscription_id=" + subscriptionId + "&sorting=created_at", tenant.bearer());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> items = new java.util.ArrayList<>();
        reply.json().get("items").forEach(items::add);
        return items;
    }

    private static void assertTotals(JsonNode order, long subtotal, long net, long tax, long total) {
        assertThat(order.get("subtotal_amount").longValue()).as("subtotal").isEqualTo(subtotal);
        assertThat(order.get("net_amount").longValue()).as("net").isEqualTo(net);
        assertThat(order.get("tax_amount").longValue()).as("tax").isEqualTo(tax);
        assertThat(order.get("total_amount").longValue()).as("total").isEqualTo(total);
        assertThat(order.get("items").get(0).get("tax_amount").longValue()).as("line tax").isEqualTo(tax);
    }

    @Test
    void domesticIrishConsumerPaysIrishVatIncludedInTheLocationPrice() {
        Tenant tenant = newTenant();
        String product = product(tenant, "eur", null);   // the organisation's default: location
        customer(tenant, "siobhan", address("IE", "D02 X285"), null);
        JsonNode order = firstOrder(tenant, product, "siobhan");
        // location in a VAT country is inclusive: net = 2,900 × 100 / 123 = 2,357.72 → 2,358; tax 2,900 − 2,358 = 542
        assertTotals(order, 2_900, 2_358, 542, 2_900);
        assertThat(order.get("tax_behavior").stringValue()).isEqualTo("inclusive");
        assertThat(order.get("tax_treatment").stringValue()).isEqualTo("standard");
        assertThat(order.get("tax_jurisdiction").stringValue()).isEqualTo("IE");
        assertThat(order.get("tax_rate").decimalValue()).isEqualByComparingTo("23");
    }

    @Test
    void domesticIrishBusinessIsNotReverseCharged() {
        Tenant tenant = newTenant();
        String product = product(tenant, "eur", "exclusive");
        customer(tenant, "guinness", address("IE", null), "IE6388047V");
        JsonNode order = firstOrder(tenant, product, "guinness");
        // the seller is Irish too: 23 % of 2,900 = 667
        assertTotals(order, 2_900, 2_900, 667, 3_567);
        assertThat(order.get("tax_treatment").stringValue()).isEqualTo("standard");
    }

    @Test
    void crossBorderConsumerPaysTheirCountrysVatAndItNeverReachesTheMerchant() {
        Tenant tenant = newTenant();
        String product = product(tenant, "eur", "exclusive");
        customer(tenant, "lena", address("DE", "10115"), null);
        JsonNode order = firstOrder(tenant, product, "lena");
        // 19 % of 2,900 = 551 on top
        assertTotals(order, 2_900, 2_900, 551, 3_451);
        assertThat(order.get("tax_jurisdiction").stringValue()).isEqualTo("DE");
        // fees are on the whole charge: processor 2.9 % of 3,451 = 100.079 → 100 + 30 = 130;
        // all-in 4 % = 138.04 → 138 + 40 = 178; platform 178 − 130 = 48. The merchant keeps
        // 2,900 − 130 − 48 = 2,722: the 551 of tax is the German authority's, never revenue.
        assertThat(ledger.merchantBalance(tenant.id(), "eur")).isEqualTo(2_722);
        assertThat(ledger.balance(tenant.id(), "tax:DE", "eur")).isEqualTo(551);
        assertThat(order.get("platform_fee_amount").longValue()).isEqualTo(48);
    }

    @Test
    void aRefundGivesItsTaxShareBackFromTheAuthorityNotFromTheMerchant() {
        Tenant tenant = newTenant();
        String product = product(tenant, "eur", "exclusive");
        customer(tenant, "jonas", address("DE", "10115"), null);
        String orderId = firstOrder(tenant, product, "jonas").get("id").stringValue();
        // the merchant holds 2,722 (2,900 net less fees) and tax:DE 551, as in the case above
        Reply half = post("/v1/refunds/", tenant.bearer(),
                "{\"order_id\":\"" + orderId + "\",\"reason\":\"customer_request\",\"amount\":1450}");
        assertThat(half.status()).as(half.body()).isEqualTo(201);
        long halfTax = half.json().get("tax_amount").longValue();
        assertThat(halfTax).as("half of 551, rounded once").isBetween(275L, 276L);
        assertThat(ledger.balance(tenant.id(), "tax:DE", "eur")).isEqualTo(551 - halfTax);
        assertThat(ledger.merchantBalance(tenant.id(), "eur")).isEqualTo(2_722 - 1_450);

        Reply rest = post("/v1/refunds/", tenant.bearer(),
                "{\"order_id\":\"" + orderId + "\",\"reason\":\"customer_request\",\"amount\":1450}");
        assertThat(rest.status()).as(rest.body()).isEqualTo(201);
        assertThat(halfTax + rest.json().get("tax_amount").longValue()).isEqualTo(551);
        assertThat(ledger.balance(tenant.id(), "tax:DE", "eur")).isZero();
        // the fees stay spent, as with a card processor
        assertThat(ledger.merchantBalance(tenant.id(), "eur")).isEqualTo(2_722 - 2_900);
    }

    @Test
    void aChargebackTakesTheTaxFromTheAuthorityAndAWonDisputeReturnsIt() {
        Tenant tenant = newTenant();
        String product = product(tenant, "eur", "exclusive");
        Reply created = post("/v1/customers/", tenant.bearer(), "{\"email\":\"mia@example.com\",\"external_id\":\"mia\","
                + "\"billing_address\":" + address("DE", "10115") + ",\"metadata\":{\"sandbox_card\":\"dispute_won\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        firstOrder(tenant, product, "mia");
        // disputed at once: the 551 of tax goes back to the customer from tax:DE, not from the merchant
        assertThat(ledger.balance(tenant.id(), "tax:DE", "eur")).isZero();
        long afterDispute = ledger.merchantBalance(tenant.id(), "eur");

        clock.set(MAR_15.plus(java.time.Duration.ofDays(30)));
        assertThat(disputes.resolveDue(clock.instant())).isGreaterThanOrEqualTo(1);
        assertThat(ledger.balance(tenant.id(), "tax:DE", "eur")).isEqualTo(551);
        assertThat(ledger.merchantBalance(tenant.id(), "eur")).isEqualTo(afterDispute + 2_900);
    }

    @Test
    void taxInclusiveAndExclusivePricesOfTheSameSticker() {
        Tenant tenant = newTenant();
        customer(tenant, "lena", address("DE", "10115"), null);
        JsonNode inclusive = firstOrder(tenant, product(tenant, "eur", "inclusive"), "lena");
        // inclusive: net = 290,000 / 119 = 2,436.97 → 2,437; tax 463; the customer pays the sticker
        assertTotals(inclusive, 2_900, 2_437, 463, 2_900);
        JsonNode exclusive = firstOrder(tenant, product(tenant, "eur", "exclusive"), "lena");
        assertTotals(exclusive, 2_900, 2_900, 551, 3_451);
        assertThat(inclusive.get("tax_behavior").stringValue()).isEqualTo("inclusive");
        assertThat(exclusive.get("tax_behavior").stringValue()).isEqualTo("exclusive");
    }

    @Test
    void euBusinessWithAVatIdIsReverseChargedAndTheInvoiceNamesTheId() {
        Tenant tenant = newTenant();
        String product = product(tenant, "eur", "exclusive");
        customer(tenant, "sap", address("DE", "69190"), "DE 143 593 636");
        JsonNode order = firstOrder(tenant, product, "sap");
        assertTotals(order, 2_900, 2_900, 0, 2_900);
        assertThat(order.get("tax_treatment").stringValue()).isEqualTo("reverse_charge");
        assertThat(order.get("tax_id").stringValue()).isEqualTo("DE143593636");
        assertThat(order.get("tax_rate").decimalValue()).isZero();
        Reply customer = get("/v1/customers/external/sap", tenant.bearer());
        assertThat(customer.json().get("tax_id").get(0).stringValue()).isEqualTo("DE143593636");
        assertThat(customer.json().get("tax_id").get(1).stringValue()).isEqualTo("eu_vat");
    }

    @Test
    void ukConsumerPaysUkVat() {
        Tenant tenant = newTenant();
        String product = product(tenant, "gbp", "exclusive");
        customer(tenant, "oliver", address("GB", "SW1A 1AA"), null);
        JsonNode order = firstOrder(tenant, product, "oliver");
        // 20 % of 2,900 = 580
        assertTotals(order, 2_900, 2_900, 580, 3_480);
        assertThat(order.get("tax_jurisdiction").stringValue()).isEqualTo("GB");
    }

    @Test
    void usSalesTaxFollowsTheZipPrefixLongestFirst() {
        Tenant tenant = newTenant();
        String product = product(tenant, "usd", null);   // location in a sales-tax country: exclusive
        customer(tenant, "manhattan", address("US", "10001"), null);
        customer(tenant, "albany", address("US", "12207-1234"), null);
        customer(tenant, "seattle", address("US", "98101"), null);
        customer(tenant, "austin", address("US", "78701"), null);
        // New York City's combined 8.875 % (prefix 100): 2,900 × 0.08875 = 257.375 → 257
        JsonNode nyc = firstOrder(tenant, product, "manhattan");
        assertTotals(nyc, 2_900, 2_900, 257, 3_157);
        assertThat(nyc.get("tax_jurisdiction").stringValue()).isEqualTo("US-NYC");
        // the rest of New York State (prefix 12): 4 % = 116
        assertTotals(firstOrder(tenant, product, "albany"), 2_900, 2_900, 116, 3_016);
        // Washington 6.5 % = 188.5 → 188 (half-even)
        assertTotals(firstOrder(tenant, product, "seattle"), 2_900, 2_900, 188, 3_088);
        // Texas: Marginal is not registered there, so nothing is collected
        JsonNode texas = firstOrder(tenant, product, "austin");
        assertTotals(texas, 2_900, 2_900, 0, 2_900);
        assertThat(texas.get("tax_treatment").stringValue()).isEqualTo("not_collecting");
        assertThat(ledger.balance(tenant.id(), "tax:US-NYC", "usd")).isEqualTo(257);
    }

    @Test
    void aCountryWithoutATaxRowCollectsNothing() {
        Tenant tenant = newTenant();
        String product = product(tenant, "usd", "exclusive");
        customer(tenant, "kenji", address("JP", "100-0001"), null);
        JsonNode order = firstOrder(tenant, product, "kenji");
        assertTotals(order, 2_900, 2_900, 0, 2_900);
        assertThat(order.get("tax_treatment").stringValue()).isEqualTo("not_collecting");
        assertThat(order.get("tax_jurisdiction").stringValue()).isEqualTo("JP");
    }

    @Test
    void aRenewalAfterARateChangeUsesTheNewRate() {
        Tenant tenant = newTenant();
        String product = product(tenant, "eur", "exclusive");
        customer(tenant, "jana", address("SK", "811 01"), null);
        // Slovakia: 20 % until 2024-12-31, 23 % from 2025-01-01
        clock.set(Instant.parse("2024-12-15T09:00:00Z"));
        Reply sub = post("/v1/subscriptions/", tenant.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"jana\"}");
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        String id = sub.json().get("id").stringValue();
        clock.set(Instant.parse("2025-01-15T09:00:00Z"));
        assertThat(subscriptions.renew(clock.instant())).isEqualTo(1);

        List<JsonNode> orders = orders(tenant, id);
        assertThat(orders).hasSize(2);
        // December: 20 % of 2,900 = 580; January's period starts under 23 %: 667
        assertTotals(orders.get(0), 2_900, 2_900, 580, 3_480);
        assertTotals(orders.get(1), 2_900, 2_900, 667, 3_567);
        assertThat(orders.get(1).get("tax_rate").decimalValue()).isEqualByComparingTo("23");
        assertThat(ledger.balance(tenant.id(), "tax:SK", "eur")).isEqualTo(580 + 667);
    }

    @Test
    void badAddressesAndTaxIdsAre422AndWriteNothing() {
        Tenant tenant = newTenant();
        Reply unknownCountry = createCustomer(tenant, "zed", address("ZZ", null), null);
        assertThat(unknownCountry.status()).isEqualTo(422);
        assertThat(unknownCountry.contentType()).startsWith("application/problem+json");
        assertThat(unknownCountry.body()).contains("billing_address", "country");

        Reply badZip = createCustomer(tenant, "bad-zip", address("US", "1234"), null);
        assertThat(badZip.status()).isEqualTo(422);
        assertThat(badZip.body()).contains("postal_code");
        assertThat(createCustomer(tenant, "no-zip", address("US", null), null).status()).isEqualTo(422);

        Reply badVat = createCustomer(tenant, "bad-vat", address("DE", null), "XX123");
        assertThat(badVat.status()).isEqualTo(422);
        assertThat(badVat.body()).contains("tax_id");
        Reply foreignVat = createCustomer(tenant, "foreign-vat", address("DE", null), "FR61954506077");
        assertThat(foreignVat.status()).isEqualTo(422);
        assertThat(foreignVat.body()).contains("tax_id");

        Reply badBehavior = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"eur","price_amount":2900,"tax_behavior":"unspecified"}]}""");
        assertThat(badBehavior.status()).isEqualTo(422);
        assertThat(badBehavior.body()).contains("tax_behavior");

        long customers = jdbc.sql("SELECT count(*) FROM customers WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single();
        long products = jdbc.sql("SELECT count(*) FROM products WHERE organization_id = ?").param(tenant.id())
                .query(Long.class).single();
        assertThat(customers).isZero();
        assertThat(products).isZero();
    }

    @Test
    void theRateTableIsAppendOnly() {
        assertThatThrownBy(() -> jdbc.sql("UPDATE tax_rates SET rate = 0 WHERE country = 'DE'").update())
                .hasMessageContaining("append-only");
        long eu = jdbc.sql("""
                        SELECT count(DISTINCT country) FROM tax_rates
                        WHERE tax_type = 'vat' AND country <> 'GB'""").query(Long.class).single();
        assertThat(eu).isEqualTo(27);
    }
}
