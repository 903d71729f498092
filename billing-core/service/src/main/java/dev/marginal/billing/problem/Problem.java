package dev.marginal.billing.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem document; {@code errors} is the extension member for validation failures. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<ValidationError> errors) {

    public static Problem of(ProblemType type, String detail, String instance, List<ValidationError> errors) {
        return new Problem(type.uri(), type.title(), type.status().value(), detail, instance,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }
}
