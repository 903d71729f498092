package dev.marginal.billing.invoice;

import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.marginal.billing.http.PathIds;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import dev.marginal.billing.problem.ApiException;

/**
 * Polar's order invoice routes ({@code POST} and {@code GET /v1/orders/{id}/invoice}, scope
 * {@code orders:read} as Polar's) and the signed page the invoice URL opens, which takes no token.
 */
@RestController
public class InvoiceController {

    private final Organizations organizations;
    private final OrderInvoices invoices;
    private final InvoiceLinks links;
    private final InvoiceDocument.Seller seller;
    private final String publicBaseUrl;

    public InvoiceController(Organizations organizations, OrderInvoices invoices, InvoiceLinks links,
                             @Value("${marginal.invoice.seller-name:Marginal}") String sellerName,
                             @Value("${marginal.tax.seller-country:IE}") String sellerCountry,
                             @Value("${marginal.invoice.seller-tax-id:}") String sellerTaxId,
                             @Value("${marginal.public-base-url:}") String publicBaseUrl) {
        this.organizations = organizations;
        this.invoices = invoices;
        this.links = links;
        this.seller = new InvoiceDocument.Seller(sellerName, sellerCountry, sellerTaxId);
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    /** Polar's "Generate Order Invoice": 202, the order now has its invoice number. */
    @PostMapping("/v1/orders/{id}/invoice")
    ResponseEntity<Map<String, Object>> generate(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable("id") String id) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.ORDERS_READ);
        invoices.generate(grant.organizationId(), PathIds.uuid("id", id));
        // Polar answers 202 with no fields; an empty object keeps the body JSON for its SDK.
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of());
    }

    /** Polar's {@code OrderInvoice}: where the invoice is. */
    public record OrderInvoice(String url) {
    }

    @GetMapping("/v1/orders/{id}/invoice")
    OrderInvoice invoice(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                         @PathVariable("id") String id) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.ORDERS_READ);
        UUID orderId = PathIds.uuid("id", id);
        String number = invoices.number(grant.organizationId(), orderId).orElseThrow(() -> ApiException.notFound(
                "The order has no invoice yet: POST /v1/orders/" + orderId + "/invoice generates it."));
        String base = publicBaseUrl.isEmpty() ? ServletUriComponentsBuilder.fromCurrentContextPath().toUriString()
                : publicBaseUrl;
        return new OrderInvoice(base + links.path(orderId, number));
    }

    /**
     * The invoice itself, for whoever holds its URL. A wrong signature and an order without an
     * invoice answer the same 404, so the page says nothing about which orders exist.
     */
    @GetMapping("/v1/orders/{id}/invoice/{signature}")
    ResponseEntity<String> page(@PathVariable("id") String id, @PathVariable("signature") String signature) {
        UUID orderId = PathIds.uuid("id", id);
        InvoiceDocument.Content content = invoices.content(orderId)
                .filter(c -> links.verify(orderId, c.invoiceNumber(), signature))
                .orElseThrow(() -> ApiException.notFound("Invoice not found."));
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                // The URL is the credential: keep it out of shared caches and other sites' referrers.
                .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .body(InvoiceDocument.render(seller, content));
    }
}
