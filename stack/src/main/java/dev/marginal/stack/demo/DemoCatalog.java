package dev.marginal.stack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * What the demo merchant sells, so the warehouse has revenue beside the LLM cost: two monthly plans
 * and a subscription for each customer the usage stream bills, created through billing-core's API
 * like a merchant's backend would. Safe to run at every start: the products are found by name, a
 * customer that exists answers 422 and is kept, and each subscription carries an
 * {@code Idempotency-Key}, so a second run replays instead of subscribing twice.
 */
public final class DemoCatalog {

    /** A demo customer: its plan, where it is billed (tax follows the address). */
    record Account(String externalId, String name, String plan, String country, String postalCode) {
    }

    static final String PRO = "Demo Pro";
    static final String SCALE = "Demo Scale";

    static final List<Account> ACCOUNTS = List.of(
            new Account("acme-robotics", "Acme Robotics Inc.", SCALE, "US", "94107"),
            new Account("globex-ai", "Globex AI Ltd", SCALE, "GB", "EC1A 1BB"),
            new Account("initech-labs", "Initech Labs LLC", PRO, "US", "10001"),
            new Account("umbrella-health", "Umbrella Health GmbH", PRO, "DE", "10115"),
            new Account("stark-analytics", "Stark Analytics", PRO, "US", "98101"),
            new Account("wayne-legal", "Wayne Legal SAS", PRO, "FR", "75001"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI billing;
    private final String token;

    public DemoCatalog(URI billingUrl, String token) {
        this.billing = billingUrl;
        this.token = token;
    }

    /** Ensures the plans, customers and subscriptions exist; returns how many subscriptions it created. */
    public int ensure() throws IOException, InterruptedException {
        String pro = product(PRO, 4_900);
        String scale = product(SCALE, 19_900);
        int created = 0;
        for (Account account : ACCOUNTS) {
            HttpResponse<String> customer = post("/v1/customers/", null, JSON.createObjectNode()
                    .put("email", account.externalId() + "@example.com").put("name", account.name())
                    .put("external_id", account.externalId())
                    .set("billing_address", JSON.createObjectNode().put("country", account.country())
                            .put("postal_code", account.postalCode())));
            if (customer.statusCode() != 201 && customer.statusCode() != 422) {
                throw new IOException("creating customer " + account.externalId() + " answered "
                        + customer.statusCode() + ": " + customer.body());
            }
            String product = account.plan().equals(SCALE) ? scale : pro;
            HttpResponse<String> subscription = post("/v1/subscriptions/", "demo-subscription-" + account.externalId(),
                    JSON.createObjectNode().put("product_id", product).put("external_customer_id", account.externalId()));
            if (subscription.statusCode() != 201) {
                throw new IOException("subscribing " + account.externalId() + " answered " + subscription.statusCode()
                        + ": " + subscription.body());
            }
            if (subscription.headers().firstValue("Idempotent-Replayed").isEmpty()) {
                created++;
            }
        }
        return created;
    }

    /** The id of the organisation's product called {@code name}, created as a monthly USD plan if missing. */
    private String product(String name, long monthlyCents) throws IOException, InterruptedException {
        HttpResponse<String> list = send(HttpRequest.newBuilder(billing.resolve("/v1/products/?limit=100")).GET());
        for (JsonNode item : JSON.readTree(list.body()).path("items")) {
            if (name.equals(item.path("name").asText())) {
                return item.path("id").asText();
            }
        }
        var price = JSON.createObjectNode().put("amount_type", "fixed").put("price_currency", "usd")
                .put("price_amount", monthlyCents).put("tax_behavior", "exclusive");
        var body = JSON.createObjectNode().put("name", name).put("recurring_interval", "month");
        body.putArray("prices").add(price);
        HttpResponse<String> created = post("/v1/products/", null, body);
        if (created.statusCode() != 201) {
            throw new IOException("creating product " + name + " answered " + created.statusCode() + ": " + created.body());
        }
        return JSON.readTree(created.body()).path("id").asText();
    }

    private HttpResponse<String> post(String path, String idempotencyKey, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(billing.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
