package dev.marginal.billing.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.marginal.billing.BillingApiTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import tools.jackson.databind.JsonNode;

/** {@code GET /v1/openapi.json} describes exactly the service's routes and is valid OpenAPI 3.1. */
class OpenApiDocumentTest extends BillingApiTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void documentDescribesEveryRouteAndNothingElse() {
        Reply reply = document();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");

        Set<String> routes = springRoutes(mappings.getHandlerMethods());
        Set<String> documented = documentedRoutes(reply.json());
        assertThat(routes).as("sanity: the service has its routes").hasSizeGreaterThan(40);
        assertThat(difference(routes, documented)).as("Spring routes the document does not describe").isEmpty();
        assertThat(difference(documented, routes)).as("documented routes no controller serves").isEmpty();
    }

    /** The comparison above can fail: a document without one of the paths leaves that route over. */
    @Test
    void aRouteMissingFromTheDocumentIsReported() {
        JsonNode document = document().json();
        ((tools.jackson.databind.node.ObjectNode) document.get("paths")).remove("/v1/refunds/");
        Set<String> missing = difference(springRoutes(mappings.getHandlerMethods()), documentedRoutes(document));
        assertThat(missing).containsExactlyInAnyOrder("GET /v1/refunds", "POST /v1/refunds");
    }

    @Test
    void documentIsValidOpenApi31() {
        String body = document().body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(body, null, options);

        assertThat(result.getMessages()).as("parser messages").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getComponents().getSecuritySchemes()).containsKeys("organization_access_token", "platform_token");
        api.getPaths().forEach((path, item) -> operations(item).forEach((method, operation) -> {
            String where = method + " " + path;
            Set<String> declared = new TreeSet<>();
            List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
            parameters.stream().filter(p -> "path".equals(p.getIn())).forEach(p -> declared.add(p.getName()));
            Set<String> inPath = new TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
            while (m.find()) {
                inPath.add(m.group(1));
            }
            assertThat(declared).as(where + " path parameters").isEqualTo(inPath);
            assertThat(operation.getResponses()).as(where + " responses").containsKeys("4XX", "5XX");
            assertThat(operation.getResponses().keySet().stream().filter(s -> s.startsWith("2")))
                    .as(where + " success response").isNotEmpty();
        }));
    }

    @Test
    void responseSchemasFollowTheRecordsTopLevelFields() {
        JsonNode schemas = document().json().get("components").get("schemas");
        assertThat(names(schemas.get("Subscription").get("properties")))
                .contains("id", "status", "amount", "currency", "current_period_end", "cancel_at_period_end",
                        "customer", "product", "prices", "pending_update");
        assertThat(names(schemas.get("Order").get("properties")))
                .contains("subtotal_amount", "discount_amount", "net_amount", "tax_amount", "total_amount", "items");
        assertThat(schemas.get("Order").get("properties").get("total_amount").get("format").asString())
                .isEqualTo("int64");
        assertThat(names(schemas.get("Meter").get("properties"))).doesNotContain("filter_rule", "aggregation_rule");
        assertThat(names(schemas.get("SubscriptionList").get("properties"))).containsExactlyInAnyOrder("items",
                "pagination");
        assertThat(names(schemas.get("Problem").get("properties")))
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance", "error", "errors");
    }

    /** Without a token: the document describes routes, never data. */
    private Reply document() {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/openapi.json"))
                .GET().build());
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.propertyNames().forEach(names::add);
        return names;
    }

    /** Every route the service's own controllers map (Spring's /error is not part of the API). */
    static Set<String> springRoutes(Map<RequestMappingInfo, HandlerMethod> handlers) {
        Set<String> routes = new TreeSet<>();
        handlers.forEach((info, handler) -> {
            if (!handler.getBeanType().getName().startsWith("dev.marginal.")) {
                return;
            }
            assertThat(info.getMethodsCondition().getMethods()).as(handler + " declares its method").isNotEmpty();
            for (String pattern : info.getPatternValues()) {
                info.getMethodsCondition().getMethods().forEach(m -> routes.add(m.name() + " " + normalise(pattern)));
            }
        });
        return routes;
    }

    static Set<String> documentedRoutes(JsonNode document) {
        Set<String> routes = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().propertyNames().forEach(method -> {
            if (METHODS.contains(method)) {
                routes.add(method.toUpperCase(java.util.Locale.ROOT) + " " + normalise(path.getKey()));
            }
        }));
        return routes;
    }

    /** Both spellings of a list route are one route; a path variable's name is the document's choice. */
    private static String normalise(String path) {
        String p = path.replaceAll("\\{[^}]+}", "{}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static Map<String, Operation> operations(PathItem item) {
        Map<String, Operation> out = new LinkedHashMap<>();
        if (item.getGet() != null) out.put("GET", item.getGet());
        if (item.getPost() != null) out.put("POST", item.getPost());
        if (item.getPut() != null) out.put("PUT", item.getPut());
        if (item.getPatch() != null) out.put("PATCH", item.getPatch());
        if (item.getDelete() != null) out.put("DELETE", item.getDelete());
        return out;
    }
}
