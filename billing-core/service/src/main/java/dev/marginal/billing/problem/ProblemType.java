package dev.marginal.billing.problem;

import org.springframework.http.HttpStatus;

/**
 * Every failure a client can see, each with one stable RFC 9457 {@code type} URI.
 * Clients branch on {@link #uri()}, never on {@code title} or {@code detail}.
 */
public enum ProblemType {
    VALIDATION_ERROR("validation-error", "Request validation failed", HttpStatus.UNPROCESSABLE_CONTENT),
    MALFORMED_JSON("malformed-json", "Request body is not valid JSON", HttpStatus.BAD_REQUEST),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", HttpStatus.CONTENT_TOO_LARGE),
    UNAUTHORIZED("unauthorized", "Missing or invalid access token", HttpStatus.UNAUTHORIZED),
    INSUFFICIENT_SCOPE("insufficient-scope", "Access token lacks the required scope", HttpStatus.FORBIDDEN),
    NOT_FOUND("not-found", "Not found", HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE),
    BAD_REQUEST("bad-request", "Bad request", HttpStatus.BAD_REQUEST),
    SERVICE_UNAVAILABLE("service-unavailable", "Service temporarily unavailable", HttpStatus.SERVICE_UNAVAILABLE),
    INTERNAL_ERROR("internal-error", "Internal server error", HttpStatus.INTERNAL_SERVER_ERROR);

    public static final String BASE_URI = "https://marginal.dev/problems/";

    private final String slug;
    private final String title;
    private final HttpStatus status;

    ProblemType(String slug, String title, HttpStatus status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
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
