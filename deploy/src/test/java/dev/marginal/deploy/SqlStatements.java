package dev.marginal.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flyway file's SQL split into statements as PostgreSQL reads them: comments dropped, quoted text
 * and dollar-quoted bodies ({@code $$ … $$}, {@code $fn$ … $fn$}) kept whole, whitespace collapsed.
 * Enough to recognise what a statement does; not a parser.
 */
final class SqlStatements {

    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_][A-Za-z_0-9]*)?\\$");

    private SqlStatements() {
    }

    static List<String> of(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end;
                current.append(' ');
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                current.append(' ');
            } else if (c == '\'' || c == '"') {
                int end = closingQuote(sql, i, c);
                current.append(sql, i, end);
                i = end;
            } else if (c == '$' && dollarTagAt(sql, i) != null) {
                String tag = dollarTagAt(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                int end = close < 0 ? n : close + tag.length();
                current.append(sql, i, end);
                i = end;
            } else if (c == ';') {
                add(statements, current);
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(statements, current);
        return statements;
    }

    private static int closingQuote(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2; // '' or "" inside the quotes
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static String dollarTagAt(String sql, int i) {
        Matcher m = DOLLAR_TAG.matcher(sql).region(i, sql.length());
        // $1 of a prepared statement is no tag; a tag never follows an identifier character
        if (!m.lookingAt() || (i > 0 && Character.isLetterOrDigit(sql.charAt(i - 1)))) {
            return null;
        }
        return m.group();
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().replaceAll("\\s+", " ").strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
    }

    /**
     * Splits at commas outside parentheses and quotes: the actions of one {@code ALTER TABLE}, the
     * names of one {@code DROP TABLE}.
     */
    static List<String> topLevelParts(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                i = closingQuote(text, i, c) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(text.substring(start).strip());
        return parts;
    }

    /** An identifier as PostgreSQL folds it: quotes off, schema off, lower case unless quoted. */
    static String identifier(String raw) {
        String name = raw.strip();
        int dot = lastDotOutsideQuotes(name);
        if (dot >= 0) {
            name = name.substring(dot + 1);
        }
        if (name.startsWith("\"") && name.endsWith("\"") && name.length() >= 2) {
            return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static int lastDotOutsideQuotes(String name) {
        boolean quoted = false;
        int dot = -1;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                dot = i;
            }
        }
        return dot;
    }
}
