package dev.marginal.billing.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document that Polar's SDKs also understand.
 *
 * <p>{@code error} is Polar's error name ({@code ResourceNotFound}, …). For a 422, {@code detail} is
 * FastAPI's list of {@code {loc, msg, type}} items instead of a sentence, because Polar's SDKs read
 * exactly that list as {@code HTTPValidationError.detail}; every other problem has a sentence.
 * {@code errors} carries the items of a 400 that are not validation failures (malformed JSON).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, Object detail, String instance, String error,
                      List<ValidationError> errors) {

    public static Problem of(ProblemType type, String detail, String instance, List<ValidationError> errors) {
        List<ValidationError> items = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
        if (type == ProblemType.VALIDATION_ERROR && items != null) {
            return new Problem(type.uri(), type.title(), type.status().value(), items, instance, type.polarError(),
                    null);
        }
        return new Problem(type.uri(), type.title(), type.status().value(), detail, instance, type.polarError(),
                items);
    }
}
