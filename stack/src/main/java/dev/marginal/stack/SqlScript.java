package dev.marginal.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The statements of a plain SQL file: {@code --} comment lines dropped, split on a {@code ;} that
 * ends a line. Enough for the warehouse's DDL files, which keep one statement per paragraph.
 */
final class SqlScript {

    private SqlScript() {}

    static List<String> statements(String script) {
        String withoutComments = script.lines()
                .filter(line -> !line.trim().startsWith("--"))
                .reduce("", (a, b) -> a + b + "\n");
        return Arrays.stream(withoutComments.split(";\\s*(\\n|$)"))
                .map(String::trim)
                .filter(statement -> !statement.isEmpty())
                .toList();
    }

    /** The warehouse SQL files to apply, in order, from {@code /sql/apply-order.txt}. */
    static List<String> applyOrder() {
        return read("/sql/apply-order.txt").lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    static List<String> fromClasspath(String resource) {
        return statements(read(resource));
    }

    private static String read(String resource) {
        try (InputStream in = SqlScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
