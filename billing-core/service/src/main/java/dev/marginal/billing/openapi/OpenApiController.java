package dev.marginal.billing.openapi;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * {@code GET /v1/openapi.json}: the service's OpenAPI 3.1 document, without a token (like Polar's
 * published schema: it describes routes, never data). Built once, on the first request, because the
 * route table is complete only after start-up.
 */
@RestController
public class OpenApiController {

    private final RequestMappingHandlerMapping mappings;
    private volatile byte[] document;

    public OpenApiController(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        this.mappings = mappings;
    }

    @GetMapping("/v1/openapi.json")
    ResponseEntity<byte[]> openApi() {
        byte[] json = document;
        if (json == null) {
            json = OpenApiDocument.build(mappings.getHandlerMethods().values());
            document = json;
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
    }
}
