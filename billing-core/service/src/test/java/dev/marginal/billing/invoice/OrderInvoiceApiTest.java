package dev.marginal.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.marginal.billing.BillingApiTest;
import dev.marginal.billing.subscription.MutableClock;
import tools.jackson.databind.JsonNode;

/**
 * Lena Becker in Berlin buys Pro at €29.00 a month, tax exclusive, on 15 March 2025: her first
 * order is 2,900 + 19 % German VAT 551 = 3,451, and its invoice says so to the cent.
 */
class OrderInvoiceApiTest extends BillingApiTest {

    static final Instant MAR_15 = Instant.parse("2025-03-15T09:00:00Z");
    static final String BERLIN = """
            {"line1":"Invalidenstraße 117","postal_code":"10115","city":"Berlin","country":"DE"}""";

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

    @BeforeEach
    void march() {
        clock.set(MAR_15);
    }

    private String product(Tenant tenant) {
        Reply reply = post("/v1/products/", tenant.bearer(), """
                {"name":"Pro","recurring_interval":"month","prices":[
                  {"amount_type":"fixed","price_currency":"eur","price_amount":2900,"tax_behavior":"exclusive"}]}""");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").stringValue();
    }

    /** A customer (fields as JSON members after email and external id) subscribed to Pro; answers the first order. */
    private JsonNode firstOrder(Tenant tenant, String product, String customerFields) {
        String external = "c-" + UUID.randomUUID().toString().substring(0, 8);
        Reply customer = post("/v1/customers/", tenant.bearer(), "{\"email\":\"" + external + "@example.com\","
                + "\"external_id\":\"" + external + "\"" + customerFields + "}");
        assertThat(customer.status()).as(customer.body()).isEqualTo(201);
        Reply sub = post("/v1/subscriptions/", tenant.bearer(),
                "{\"product_id\":\"" + product + "\",\"external_customer_id\":\"" + external + "\"}");
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        Reply orders = get("/v1/orders/?subscription_id=" + sub.json().get("id").stringValue(), tenant.bearer());
        assertThat(orders.json().get("items")).hasSize(1);
        return orders.json().get("items").get(0);
    }

    private Reply generate(Tenant tenant, String orderId) {
        return post("/v1/orders/" + orderId + "/invoice", tenant.bearer(), "");
    }

    private Reply page(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private String invoiceUrl(Tenant tenant, String orderId) {
        Reply reply = get("/v1/orders/" + orderId + "/invoice", tenant.bearer());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("url").stringValue();
    }

    @Test
    void aPaidOrderGetsTheFirstNumberAndAnInvoiceToTheCent() {
        Tenant tenant = newTenant();
        JsonNode order = firstOrder(tenant, product(tenant), ",\"name\":\"Lena Becker\",\"billing_address\":" + BERLIN);
        String id = order.get("id").stringValue();
        assertThat(order.get("is_invoice_generated").booleanValue()).isFalse();
        assertThat(order.get("invoice_number").isNull()).isTrue();

        Reply generated = generate(tenant, id);
        assertThat(generated.status()).as(generated.body()).isEqualTo(202);
        JsonNode after = get("/v1/orders/" + id, tenant.bearer()).json();
        assertThat(after.get("invoice_number").stringValue()).isEqualTo("INV-2025-0001");
        assertThat(after.get("is_invoice_generated").booleanValue()).isTrue();
        // generating again keeps the number and takes none
        assertThat(generate(tenant, id).status()).isEqualTo(202);
        assertThat(get("/v1/orders/" + id, tenant.bearer()).json().get("invoice_number").stringValue())
                .isEqualTo("INV-2025-0001");

        String url = invoiceUrl(tenant, id);
        assertThat(url).startsWith("http://127.0.0.1:" + port + "/v1/orders/" + id + "/invoice/");
        Reply html = page(url);
        assertThat(html.status()).as(html.body()).isEqualTo(200);
        assertThat(html.contentType()).startsWith("text/html");
        assertThat(html.raw().headers().firstValue("Cache-Control")).contains("private, no-store");
        assertThat(html.body()).contains("Invoice INV-2025-0001", "Date of issue: 2025-03-15", "Marginal (merchant of record)",
                "Country: IE", "Lena Becker", "Invalidenstraße 117", "10115", "Berlin", "DE", "Pro",
                // 2,900 net; 19 % of 2,900 = 551; 2,900 + 551 = 3,451
                "<td>Subtotal</td><td class=\"n\">29.00 EUR</td>", "<td>Net</td><td class=\"n\">29.00 EUR</td>",
                "<td>VAT 19% (DE)</td><td class=\"n\">5.51 EUR</td>", "<td>Total</td><td class=\"n\">34.51 EUR</td>",
                "<td>Amount paid</td><td class=\"n\">34.51 EUR</td>", "Tax is charged on top")
                .doesNotContain("Reverse charge");
        assertThat(html.body()).containsPattern("<td class=\"n\">1( [a-z_]+)?</td><td class=\"n\">29.00 EUR</td>");

        // the next paid order of the organisation takes the next number, with no gap
        JsonNode second = firstOrder(tenant, product(tenant), ",\"name\":\"Jonas Weber\",\"billing_address\":" + BERLIN);
        assertThat(generate(tenant, second.get("id").stringValue()).status()).isEqualTo(202);
        assertThat(get("/v1/orders/" + second.get("id").stringValue(), tenant.bearer()).json().get("invoice_number")
                .stringValue()).isEqualTo("INV-2025-0002");
        // another organisation counts from one
        Tenant other = newTenant();
        JsonNode theirs = firstOrder(other, product(other), ",\"name\":\"Mia Wolf\",\"billing_address\":" + BERLIN);
        assertThat(generate(other, theirs.get("id").stringValue()).status()).isEqualTo(202);
        assertThat(get("/v1/orders/" + theirs.get("id").stringValue(), other.bearer()).json().get("invoice_number")
                .stringValue()).isEqualTo("INV-2025-0001");
    }

    @Test
    void anEuBusinessInvoiceIsReverseChargedAndPrintsBothVatIds() {
        Tenant tenant = newTenant();
        JsonNode order = firstOrder(tenant, product(tenant), ",\"name\":\"SAP SE\",\"billing_address\":"
                + "{\"line1\":\"Dietmar-Hopp-Allee 16\",\"postal_code\":\"69190\",\"city\":\"Walldorf\",\"country\":\"DE\"}"
                + ",\"tax_id\":\"DE143593636\"");
        String id = order.get("id").stringValue();
        assertThat(generate(tenant, id).status()).isEqualTo(202);
        Reply html = page(invoiceUrl(tenant, id));
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.body()).contains("SAP SE", "VAT ID: DE143593636",
                "<td>Total</td><td class=\"n\">29.00 EUR</td>",
                "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC)");
        assertThat(html.body()).containsPattern("<td>VAT 0% \\(DE\\)</td><td class=\"n\">0.00 EUR</td>");
    }

    @Test
    void withoutABillingNameOrAddressNoNumberIsTaken() {
        Tenant tenant = newTenant();
        String product = product(tenant);
        JsonNode nameless = firstOrder(tenant, product, ",\"billing_address\":" + BERLIN);
        JsonNode homeless = firstOrder(tenant, product, ",\"name\":\"Lena Becker\"");
        for (JsonNode order : List.of(nameless, homeless)) {
            Reply reply = generate(tenant, order.get("id").stringValue());
            assertThat(reply.status()).as(reply.body()).isEqualTo(422);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("error").stringValue()).isEqualTo("MissingInvoiceBillingDetails");
            assertThat(reply.json().get("detail").stringValue()).contains("name", "billing address");
            assertThat(get("/v1/orders/" + order.get("id").stringValue(), tenant.bearer()).json()
                    .get("is_invoice_generated").booleanValue()).isFalse();
            assertThat(get("/v1/orders/" + order.get("id").stringValue() + "/invoice", tenant.bearer()).status())
                    .isEqualTo(404);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM invoice_number_counters WHERE organization_id = ?")
                .param(tenant.id()).query(Long.class).single()).isZero();
    }

    @Test
    void anUnpaidOrderIsNotEligible() {
        Tenant tenant = newTenant();
        JsonNode order = firstOrder(tenant, product(tenant), ",\"name\":\"Lena Becker\",\"billing_address\":" + BERLIN
                + ",\"metadata\":{\"sandbox_card\":\"decline\"}");
        assertThat(order.get("status").stringValue()).isEqualTo("pending");
        Reply reply = generate(tenant, order.get("id").stringValue());
        assertThat(reply.status()).as(reply.body()).isEqualTo(409);
        assertThat(reply.json().get("error").stringValue()).isEqualTo("OrderNotEligibleForInvoice");
        assertThat(get("/v1/orders/" + order.get("id").stringValue(), tenant.bearer()).json()
                .get("invoice_number").isNull()).isTrue();
    }

    @Test
    void anotherOrganisationsOrderAndATamperedLinkAreNotFound() {
        Tenant tenant = newTenant();
        Tenant stranger = newTenant();
        String product = product(tenant);
        String id = firstOrder(tenant, product, ",\"name\":\"Lena Becker\",\"billing_address\":" + BERLIN)
                .get("id").stringValue();
        assertThat(get("/v1/orders/" + id + "/invoice", tenant.bearer()).status()).as("not generated yet").isEqualTo(404);
        assertThat(generate(stranger, id).status()).isEqualTo(404);
        assertThat(get("/v1/orders/" + id, tenant.bearer()).json().get("is_invoice_generated").booleanValue()).isFalse();
        assertThat(generate(tenant, id).status()).isEqualTo(202);
        assertThat(get("/v1/orders/" + id + "/invoice", stranger.bearer()).status()).isEqualTo(404);

        String url = invoiceUrl(tenant, id);
        assertThat(page(url).status()).isEqualTo(200);
        String signature = url.substring(url.lastIndexOf('/') + 1);
        char last = signature.charAt(0);
        String tampered = url.substring(0, url.lastIndexOf('/') + 1) + (last == 'A' ? 'B' : 'A') + signature.substring(1);
        Reply refused = page(tampered);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body()).doesNotContain("Lena");
        assertThat(page(url.substring(0, url.lastIndexOf('/') + 1) + "not-base64!").status()).isEqualTo(404);
        // one order's signature does not open another's invoice
        String otherId = firstOrder(tenant, product, ",\"name\":\"Jonas Weber\",\"billing_address\":" + BERLIN)
                .get("id").stringValue();
        assertThat(generate(tenant, otherId).status()).isEqualTo(202);
        assertThat(page(url.replace(id, otherId)).status()).isEqualTo(404);
    }

    @Test
    void whatTheCustomerTypedIsPrintedAsTextNeverAsMarkup() {
        Tenant tenant = newTenant();
        String id = firstOrder(tenant, product(tenant), ",\"name\":\"<script>alert(1)</script> & Co\","
                + "\"billing_address\":" + BERLIN).get("id").stringValue();
        assertThat(generate(tenant, id).status()).isEqualTo(202);
        String html = page(invoiceUrl(tenant, id)).body();
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co").doesNotContain("<script>");
    }

    @Test
    void concurrentRequestsTakeEveryNumberOnceWithoutGaps() throws Exception {
        Tenant tenant = newTenant();
        String product = product(tenant);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(firstOrder(tenant, product, ",\"name\":\"Customer " + i + "\",\"billing_address\":" + BERLIN)
                    .get("id").stringValue());
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            // each order asked for twice at once: 12 requests, 6 numbers
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (String id : ids) {
                for (int copy = 0; copy < 2; copy++) {
                    replies.add(CompletableFuture.supplyAsync(() -> generate(tenant, id), pool));
                }
            }
            for (CompletableFuture<Reply> reply : replies) {
                assertThat(reply.get().status()).as(reply.get().body()).isEqualTo(202);
            }
        } finally {
            pool.shutdown();
        }
        List<String> numbers = jdbc.sql("SELECT invoice_number FROM orders WHERE organization_id = ? ORDER BY 1")
                .param(tenant.id()).query(String.class).list();
        assertThat(numbers).containsExactly("INV-2025-0001", "INV-2025-0002", "INV-2025-0003", "INV-2025-0004",
                "INV-2025-0005", "INV-2025-0006");
    }
}
