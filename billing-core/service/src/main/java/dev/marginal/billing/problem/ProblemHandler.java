package dev.marginal.billing.problem;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The one place failures become HTTP: our own {@link ApiException}s, every Spring MVC exception
 * (404, 405, 415, unreadable bodies, …) and anything unexpected, all as {@code application/problem+json}.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e, WebRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (e.type() == ProblemType.UNAUTHORIZED) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return respond(e.type(), e.getMessage(), e.errors(), headers, request);
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<Object> databaseUnavailable(Exception e, WebRequest request) {
        log.warn("database unavailable: {}", e.toString());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return respond(ProblemType.SERVICE_UNAVAILABLE, "The database is unavailable; retry shortly.", List.of(),
                headers, request);
    }

    /** Spring MVC's own exceptions have closer handlers in the superclass; this catches the rest. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        log.error("unexpected failure", e);
        return respond(ProblemType.INTERNAL_ERROR, "An unexpected error occurred.", List.of(), new HttpHeaders(),
                request);
    }

    /** Every Spring MVC exception (NoResourceFound, MethodNotSupported, …) ends here. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ProblemType type = ProblemType.forStatus(status.value());
        String detail = switch (type) {
            case NOT_FOUND -> "No such route: " + path(request);
            case BAD_REQUEST, MALFORMED_JSON -> "The request could not be read.";
            default -> e.getMessage();
        };
        return respond(type, detail, List.of(), headers, request);
    }

    private ResponseEntity<Object> respond(ProblemType type, String detail, List<ValidationError> errors,
                                           HttpHeaders headers, WebRequest request) {
        HttpHeaders out = new HttpHeaders();
        out.putAll(headers);
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(Problem.of(type, detail, path(request), errors), out, type.status());
    }

    private static String path(WebRequest request) {
        if (request instanceof NativeWebRequest nativeRequest) {
            HttpServletRequest servlet = nativeRequest.getNativeRequest(HttpServletRequest.class);
            if (servlet != null) {
                return servlet.getRequestURI();
            }
        }
        return null;
    }
}
