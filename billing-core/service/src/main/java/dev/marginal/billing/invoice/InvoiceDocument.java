package dev.marginal.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import dev.marginal.billing.order.Order;
import dev.marginal.pricing.Money;
import tools.jackson.databind.JsonNode;

/**
 * An order's invoice as HTML. Every figure is one the order already holds (the pricing engine
 * computed them when the order was made); this class only prints them, each through the engine's
 * {@link Money}, so the invoice and the order agree to the cent. Every text that came from a
 * merchant or a customer is escaped.
 */
public final class InvoiceDocument {

    /** What an invoice prints. */
    public record Content(String invoiceNumber, Instant issuedAt, String merchantName, Order order,
                          List<OrderInvoices.Quantity> quantities, String taxType) {
    }

    /** Who sells: Marginal, the merchant of record, from its seller country. */
    public record Seller(String name, String country, String taxId) {
    }

    private static final String STYLE = "body{font-family:sans-serif;max-width:52em;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse;width:100%}th,td{padding:.3em .5em;border-bottom:1px solid #ddd}"
            + "td.n,th.n{text-align:right}.totals td{border:0}.note{margin-top:1.5em}";

    private InvoiceDocument() {
    }

    public static String render(Seller seller, Content content) {
        Order order = content.order();
        java.util.Currency currency = Money.currency(order.currency());
        StringBuilder html = new StringBuilder(4096);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Invoice ")
                .append(escape(content.invoiceNumber())).append("</title><style>").append(STYLE)
                .append("</style></head><body>");
        html.append("<h1>Invoice ").append(escape(content.invoiceNumber())).append("</h1>");
        html.append("<p>Date of issue: ").append(LocalDate.ofInstant(content.issuedAt(), ZoneOffset.UTC))
                .append("<br>Order: ").append(order.id())
                .append("<br>Status: ").append(escape(order.status()))
                .append("<br>Currency: ").append(currency.getCurrencyCode()).append("</p>");

        html.append("<section class=\"seller\"><h2>Seller</h2><p>").append(escape(seller.name()))
                .append(" (merchant of record)<br>Country: ").append(escape(seller.country()));
        if (seller.taxId() != null && !seller.taxId().isBlank()) {
            html.append("<br>VAT ID: ").append(escape(seller.taxId()));
        }
        html.append("<br>On behalf of: ").append(escape(content.merchantName())).append("</p></section>");

        html.append("<section class=\"customer\"><h2>Bill to</h2><p>").append(escape(order.billingName()));
        address(html, order.billingAddress());
        if (order.taxId() != null) {
            html.append("<br>VAT ID: ").append(escape(order.taxId()));
        }
        html.append("</p></section>");

        html.append("<table class=\"lines\"><thead><tr><th>Description</th><th class=\"n\">Quantity</th>"
                + "<th class=\"n\">Amount</th><th class=\"n\">Discount</th><th class=\"n\">Tax</th></tr></thead><tbody>");
        List<Order.Item> items = order.items();
        for (int i = 0; i < items.size(); i++) {
            Order.Item item = items.get(i);
            OrderInvoices.Quantity quantity = i < content.quantities().size() ? content.quantities().get(i) : null;
            html.append("<tr><td>").append(escape(item.label()));
            if (item.startTimestamp() != null && item.endTimestamp() != null) {
                html.append("<br><small>").append(item.startTimestamp().toLocalDate()).append(" – ")
                        .append(item.endTimestamp().toLocalDate()).append("</small>");
            }
            html.append("</td><td class=\"n\">").append(quantity == null ? "" : quantity(quantity))
                    .append("</td><td class=\"n\">").append(money(item.amount(), currency))
                    .append("</td><td class=\"n\">").append(money(item.discountAmount(), currency))
                    .append("</td><td class=\"n\">").append(money(item.taxAmount(), currency)).append("</td></tr>");
        }
        html.append("</tbody></table>");

        html.append("<table class=\"totals\"><tbody>");
        row(html, "Subtotal", money(order.subtotalAmount(), currency));
        row(html, "Discount", money(-order.discountAmount(), currency));
        row(html, "Net", money(order.netAmount(), currency));
        row(html, taxLabel(content.taxType(), order), money(order.taxAmount(), currency));
        row(html, "Total", money(order.totalAmount(), currency));
        if (order.refundedAmount() != 0 || order.refundedTaxAmount() != 0) {
            row(html, "Refunded", money(-(order.refundedAmount() + order.refundedTaxAmount()), currency));
        }
        row(html, order.paid() ? "Amount paid" : "Amount due",
                money(order.paid() ? order.totalAmount() : order.dueAmount(), currency));
        html.append("</tbody></table>");

        html.append("<p class=\"note\">").append(taxNote(order)).append("</p>");
        return html.append("</body></html>").toString();
    }

    private static String taxLabel(String taxType, Order order) {
        String name = "sales_tax".equals(taxType) ? "Sales tax" : "vat".equals(taxType) ? "VAT" : "Tax";
        StringBuilder label = new StringBuilder(name).append(' ')
                .append(order.taxRate() == null ? "0" : order.taxRate().stripTrailingZeros().toPlainString()).append('%');
        if (order.taxJurisdiction() != null) {
            label.append(" (").append(escape(order.taxJurisdiction())).append(')');
        }
        return label.toString();
    }

    private static String taxNote(Order order) {
        String treatment = order.taxTreatment() == null ? "" : order.taxTreatment();
        return switch (treatment) {
            case "reverse_charge" -> "GB".equals(order.taxJurisdiction())
                    ? "Reverse charge: customer to account for the VAT to HMRC. No VAT is charged on this invoice."
                    : "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive"
                            + " 2006/112/EC). No VAT is charged on this invoice.";
            case "not_collecting" -> "No tax is collected on this invoice.";
            default -> "inclusive".equals(order.taxBehavior())
                    ? "Prices include tax; the tax above is part of the amounts shown."
                    : "Tax is charged on top of the amounts shown.";
        };
    }

    private static void address(StringBuilder html, JsonNode address) {
        if (address == null || !address.isObject()) {
            return;
        }
        for (String field : List.of("line1", "line2", "postal_code", "city", "state", "country")) {
            JsonNode value = address.get(field);
            if (value != null && value.isString() && !value.stringValue().isBlank()) {
                html.append("<br>").append(escape(value.stringValue()));
            }
        }
    }

    private static void row(StringBuilder html, String label, String amount) {
        html.append("<tr><td>").append(label).append("</td><td class=\"n\">").append(amount).append("</td></tr>");
    }

    private static String quantity(OrderInvoices.Quantity quantity) {
        BigDecimal q = quantity.quantity().stripTrailingZeros();
        String unit = quantity.unit() == null || quantity.unit().isBlank() ? "" : " " + escape(quantity.unit());
        return (q.scale() < 0 ? q.setScale(0) : q).toPlainString() + unit;
    }

    /** Minor units through the engine's Money, e.g. 3451 EUR → "34.51 EUR"; never a double. */
    static String money(long minorUnits, java.util.Currency currency) {
        return new Money(minorUnits, currency).toString();
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
