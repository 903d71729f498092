package dev.marginal.billing.order;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.marginal.billing.customer.Customer;
import dev.marginal.billing.product.Product;
import dev.marginal.billing.subscription.Subscription;
import tools.jackson.databind.JsonNode;

/**
 * Polar's {@code Order} (API 2026-10), field for field, then what Marginal adds after Polar's
 * fields: how the order was taxed ({@code tax_behavior}, {@code tax_treatment}, {@code tax_rate},
 * {@code tax_jurisdiction}, and the {@code tax_id} a reverse charge must print). Checkouts,
 * invoices, receipts, seats and customer balances are not managed yet and have Polar's empty values.
 */
public record Order(UUID id, OffsetDateTime createdAt, OffsetDateTime modifiedAt, String status, boolean paid,
                    long subtotalAmount, long discountAmount, long netAmount, long taxAmount, long totalAmount,
                    long appliedBalanceAmount, long dueAmount, long refundedAmount, long refundedTaxAmount,
                    String currency, String billingReason, String billingName, JsonNode billingAddress,
                    String invoiceNumber, boolean isInvoiceGenerated, String receiptNumber, Integer seats,
                    Integer units, UUID customerId, UUID productId, UUID discountId, UUID subscriptionId,
                    UUID checkoutId, OffsetDateTime nextPaymentAttemptAt, Map<String, Object> metadata,
                    Map<String, Object> customFieldData, long platformFeeAmount, String platformFeeCurrency,
                    Customer customer, Product product, Object discount, Subscription subscription,
                    List<Item> items, String description, long refundableAmount, long refundableTaxAmount,
                    String taxBehavior, String taxTreatment, java.math.BigDecimal taxRate, String taxJurisdiction,
                    String taxId) {

    /** Polar's {@code OrderItemSchema}: one invoice line; plus its share of the discount and its net. */
    public record Item(OffsetDateTime createdAt, OffsetDateTime modifiedAt, UUID id, String label, long amount,
                       long taxAmount, boolean proration, UUID productPriceId, OffsetDateTime startTimestamp,
                       OffsetDateTime endTimestamp, long discountAmount, Long netAmount) {
    }
}
