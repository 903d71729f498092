package dev.marginal.billing.http;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.marginal.billing.problem.Violations;

/** Path ids are UUIDs; anything else is FastAPI's 422 at {@code ["path", name]}, as Polar answers. */
public final class PathIds {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private PathIds() {
    }

    public static UUID uuid(String name, String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            Violations violations = new Violations();
            violations.add(List.of("path", name), "Input should be a valid UUID", "uuid_parsing");
            violations.throwIfAny();
        }
        return UUID.fromString(value);
    }
}
