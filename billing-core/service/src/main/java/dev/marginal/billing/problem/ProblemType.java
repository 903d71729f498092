package dev.marginal.billing.problem;

import org.springframework.http.HttpStatus;

/**
 * Every failure a client can see, each with one stable RFC 9457 {@code type} URI.
 * Clients branch on {@link #uri()}, never on {@code title} or {@code detail}.
 */
public enum ProblemType {
    VALIDATION_ERROR("validation-error", "Request validation failed", HttpStatus.UNPROCESSABLE_CONTENT,
            "RequestValidationError"),
    MALFORMED_JSON("malformed-json", "Request body is not valid JSON", HttpStatus.BAD_REQUEST, "BadRequest"),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", HttpStatus.CONTENT_TOO_LARGE,
            "PayloadTooLarge"),
    UNAUTHORIZED("unauthorized", "Missing or invalid access token", HttpStatus.UNAUTHORIZED, "Unauthorized"),
    INSUFFICIENT_SCOPE("insufficient-scope", "Access token lacks the required scope", HttpStatus.FORBIDDEN,
            "NotPermitted"),
    NOT_FOUND("not-found", "Not found", HttpStatus.NOT_FOUND, "ResourceNotFound"),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED,
            "MethodNotAllowed"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType"),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE, "NotAcceptable"),
    ILLEGAL_TRANSITION("illegal-transition", "The resource's state does not allow this", HttpStatus.CONFLICT,
            "IllegalTransition"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency-Key already used for another request",
            HttpStatus.CONFLICT, "IdempotencyKeyReused"),
    BAD_REQUEST("bad-request", "Bad request", HttpStatus.BAD_REQUEST, "BadRequest"),
    SERVICE_UNAVAILABLE("service-unavailable", "Service temporarily unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "ServiceUnavailable"),
    INTERNAL_ERROR("internal-error", "Internal server error", HttpStatus.INTERNAL_SERVER_ERROR,
            "InternalServerError"),
    // Refunds, disputes and payouts: Polar's statuses and error names where Polar has them.
    REFUND_AMOUNT_TOO_HIGH("refund-amount-too-high", "Refund amount exceeds what is left to refund",
            HttpStatus.BAD_REQUEST, "RefundAmountTooHigh"),
    REFUNDED_ALREADY("refunded-already", "Order is already fully refunded", HttpStatus.FORBIDDEN,
            "RefundedAlready"),
    REFUNDS_BLOCKED("refunds-blocked", "Refunds are blocked for this order", HttpStatus.FORBIDDEN,
            "RefundsBlocked"),
    REVOKE_BENEFITS_PROHIBITED("revoke-benefits-prohibited",
            "Subscription benefits can only be revoked upon cancellation", HttpStatus.BAD_REQUEST,
            "RevokeSubscriptionBenefitsProhibited"),
    DISPUTE_NOT_OPEN("dispute-not-open", "The dispute is not open", HttpStatus.CONFLICT, "DisputeNotOpenError"),
    BALANCE_INSUFFICIENT("balance-insufficient", "The available balance is insufficient", HttpStatus.BAD_REQUEST,
            "BalanceInsufficient"),
    ORDER_NOT_ELIGIBLE_FOR_INVOICE("order-not-eligible-for-invoice", "Order is not eligible for an invoice",
            HttpStatus.CONFLICT, "OrderNotEligibleForInvoice"),
    MISSING_INVOICE_BILLING_DETAILS("missing-invoice-billing-details", "Order is missing billing name or address",
            HttpStatus.UNPROCESSABLE_CONTENT, "MissingInvoiceBillingDetails"),
    /** Marginal's (Stripe's test clocks exist only in test mode): this deployment does not offer them. */
    TEST_CLOCKS_DISABLED("test-clocks-disabled", "Test clocks are disabled on this deployment", HttpStatus.FORBIDDEN,
            "TestClocksDisabled");

    public static final String BASE_URI = "https://marginal.dev/problems/";

    private final String slug;
    private final String title;
    private final HttpStatus status;
    private final String polarError;

    ProblemType(String slug, String title, HttpStatus status, String polarError) {
        this.slug = slug;
        this.title = title;
        this.status = status;
        this.polarError = polarError;
    }

    /** The {@code error} member Polar's SDKs read, e.g. {@code ResourceNotFound} (Polar's exception class names). */
    public String polarError() {
        return polarError;
    }

    public String uri() {
        return BASE_URI + slug;
    }

    public String title() {
        return title;
    }

    public HttpStatus status() {
        return status;
    }

    /** The type a framework-raised status maps to; unknown 4xx become {@link #BAD_REQUEST}. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status.value() == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }
}
