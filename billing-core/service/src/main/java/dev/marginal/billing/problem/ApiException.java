package dev.marginal.billing.problem;

import java.util.List;

/** A failure the client caused (or must be told about), carried to {@link ProblemHandler} unchanged. */
public class ApiException extends RuntimeException {

    private final ProblemType type;
    private final List<ValidationError> errors;

    public ApiException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ApiException(ProblemType type, String detail, List<ValidationError> errors) {
        super(detail);
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(ProblemType.UNAUTHORIZED, detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(ProblemType.NOT_FOUND, detail);
    }

    public ProblemType type() {
        return type;
    }

    public List<ValidationError> errors() {
        return errors;
    }
}
