package dev.marginal.billing.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.ResponseEntity;
import org.springframework.web.method.HandlerMethod;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import dev.marginal.billing.dispute.Dispute;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.ListResource;
import dev.marginal.billing.payout.Payout;
import dev.marginal.billing.problem.Problem;
import dev.marginal.billing.refund.Refund;
import dev.marginal.billing.subscription.Subscription;

/**
 * Builds the OpenAPI 3.1 document: {@code openapi.yaml} (paths, parameters, request bodies, the schemas
 * of records that write themselves) plus the schemas of every record a route answers with, found from
 * the handler methods' return types. Routes declared {@code ResponseEntity<?>} (they answer an idempotent
 * replay's stored body) name their record in {@link #UNTYPED_RESPONSES}.
 */
public final class OpenApiDocument {

    static final String RESOURCE = "/openapi/openapi.yaml";
    private static final List<Class<?>> UNTYPED_RESPONSES =
            List.of(Subscription.class, Refund.class, Payout.class, Dispute.class, Problem.class);
    private static final Pattern REF = Pattern.compile("\"#/components/schemas/([A-Za-z0-9_.-]+)\"");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private OpenApiDocument() {
    }

    /** The whole document as JSON bytes; fails when a schema the paths name is described nowhere. */
    public static byte[] build(Collection<HandlerMethod> handlers) {
        Map<String, Object> document = load();
        Map<String, Object> schemas = map(map(document, "components"), "schemas");
        RecordSchemas records = new RecordSchemas(schemas);
        UNTYPED_RESPONSES.forEach(records::add);
        for (HandlerMethod handler : handlers) {
            addResponseType(records, handler.getMethod().getGenericReturnType());
        }
        addProblemResponses(map(document, "paths"));
        byte[] json = JsonBody.MAPPER.writeValueAsBytes(document);
        Set<String> missing = new TreeSet<>();
        Matcher refs = REF.matcher(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        while (refs.find()) {
            if (!schemas.containsKey(refs.group(1))) {
                missing.add(refs.group(1));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("openapi.yaml names schemas no record or entry describes: " + missing);
        }
        return json;
    }

    private static void addResponseType(RecordSchemas records, Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type argument = parameterized.getActualTypeArguments()[0];
            if (raw == ListResource.class && argument instanceof Class<?> item) {
                records.addList(item);
            } else if (raw == ResponseEntity.class || Collection.class.isAssignableFrom(raw)) {
                addResponseType(records, argument);
            }
        } else if (type instanceof Class<?> c && c.isRecord()) {
            records.add(c);
        }
    }

    /** Every operation can answer a problem: the route's own 4xx are listed in the YAML, the rest here. */
    private static void addProblemResponses(Map<String, Object> paths) {
        Map<String, Object> problem = RecordSchemas.ref("Problem");
        for (Object path : paths.values()) {
            for (Map.Entry<String, Object> operation : ((Map<String, Object>) path).entrySet()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                Map<String, Object> responses = map((Map<String, Object>) operation.getValue(), "responses");
                responses.putIfAbsent("4XX", Map.of("description",
                        "Unauthorized (401), insufficient scope (403), malformed JSON (400), ... as problem+json",
                        "content", Map.of("application/problem+json", Map.of("schema", problem))));
                responses.putIfAbsent("5XX", Map.of("description",
                        "Database unavailable (503, Retry-After) or a bug (500), as problem+json",
                        "content", Map.of("application/problem+json", Map.of("schema", problem))));
            }
        }
    }

    static Map<String, Object> load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }
}
