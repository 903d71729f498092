package dev.marginal.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expand/contract rule for billing-core's Flyway migrations, where a statement can show it:
 * the previous release must keep working on the schema the new migrations leave behind, because
 * during a rolling update both releases run, and a rollback runs the previous one on the new schema.
 *
 * <p>So against the previous release's migrations: none of them changed or went missing (Flyway's
 * checksums would refuse to start), new versions come after its last, and every statement of a new
 * migration that could break it — a <em>contract step</em> — is listed in
 * {@code deploy/releases/contract-steps.tsv}; a step that removes a column or table passes only if
 * the previous release's code no longer names it. Expand steps pass freely: new tables, nullable or
 * defaulted columns, non-unique indexes, backfills, constraints over new columns, a CHECK replaced by
 * one of the same name (review that it only widens). docs/operations.md, "Releases and schema changes".
 */
final class ExpandContract {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    /** One versioned Flyway file. */
    record Migration(int version, String file, String sql) {
        static Migration of(String file, String sql) {
            Matcher m = VERSIONED.matcher(file);
            if (!m.matches()) {
                throw new IllegalArgumentException(file + " is not a versioned migration (V<n>__<description>.sql)");
            }
            return new Migration(Integer.parseInt(m.group(1)), file, sql);
        }
    }

    /** A line of contract-steps.tsv: a contract step someone decided the previous release survives. */
    record ListedStep(int version, String object, String reason) {}

    /**
     * A statement of a new migration the previous release may not survive.
     *
     * @param removesName the name the statement takes away (a dropped or renamed column or table),
     *                    which the previous release's code must no longer mention; null otherwise
     */
    record Step(Migration migration, String object, String why, String statement, String removesName) {}

    /** Whether the previous release's code (anything but its migrations) names an identifier. */
    interface PreviousCode {
        boolean mentions(String identifier);
    }

    private ExpandContract() {
    }

    /** Every broken rule, as a sentence that says what to do; empty when the migrations are fine. */
    static List<String> violations(List<Migration> previous, List<Migration> current, List<ListedStep> listed,
                                   PreviousCode previousCode) {
        List<String> out = new ArrayList<>();
        Map<String, Migration> now = new HashMap<>();
        current.forEach(m -> now.put(m.file(), m));
        int lastPrevious = previous.stream().mapToInt(Migration::version).max().orElse(0);
        for (Migration old : previous) {
            Migration same = now.get(old.file());
            if (same == null) {
                out.add(old.file() + " of the previous release is gone: a released migration is never removed or renamed");
            } else if (!same.sql().equals(old.sql())) {
                out.add(old.file() + " differs from the previous release's: a released migration is never edited"
                        + " (Flyway's checksum refuses to start); write a new migration instead");
            }
        }
        Set<String> previousFiles = new HashSet<>();
        previous.forEach(m -> previousFiles.add(m.file()));
        List<Migration> newer = current.stream().filter(m -> !previousFiles.contains(m.file())).toList();
        for (Migration m : newer) {
            if (m.version() <= lastPrevious) {
                out.add(m.file() + " is numbered at or below the previous release's last migration (V" + lastPrevious
                        + "): Flyway would not apply it where the previous release already migrated; number it above");
            }
        }

        List<Step> steps = contractSteps(previous, newer);
        Set<String> found = new HashSet<>();
        for (Step step : steps) {
            String key = key(step.migration().version(), step.object());
            found.add(key);
            boolean isListed = listed.stream().anyMatch(l -> key(l.version(), l.object()).equals(key));
            if (!isListed) {
                out.add(step.migration().file() + ": " + step.why() + " — `" + shorten(step.statement()) + "`. This is a"
                        + " contract step: the previous release may still rely on " + step.object() + ". Ship it one"
                        + " release later, once the previous release no longer needs it, and list it in"
                        + " deploy/releases/contract-steps.tsv as \"V" + step.migration().version() + "\\t"
                        + step.object() + "\\t<why the previous release survives it>\"");
            } else if (step.removesName() != null && previousCode.mentions(step.removesName())) {
                out.add(step.migration().file() + ": " + step.why() + ", but the previous release's code still names `"
                        + step.removesName() + "`: it would fail on the new schema. Wait until a release that no longer"
                        + " uses it is the previous one");
            }
        }
        Set<Integer> newerVersions = new HashSet<>();
        newer.forEach(m -> newerVersions.add(m.version()));
        for (ListedStep l : listed) {
            if (!newerVersions.contains(l.version())) {
                out.add("contract-steps.tsv lists V" + l.version() + " " + l.object() + ", which is not a migration newer"
                        + " than the previous release: remove the line (it was for an earlier release)");
            } else if (!found.contains(key(l.version(), l.object()))) {
                out.add("contract-steps.tsv lists V" + l.version() + " " + l.object() + ", but V" + l.version()
                        + " has no contract step on " + l.object() + ": remove or correct the line");
            }
        }
        return out;
    }

    /** The statements of {@code newer} the previous release (which ran {@code previous}) may not survive. */
    static List<Step> contractSteps(List<Migration> previous, List<Migration> newer) {
        Schema before = Schema.of(previous);
        Schema added = Schema.of(newer);
        List<Step> steps = new ArrayList<>();
        for (Migration m : newer) {
            new MigrationReview(m, before, added, steps).run();
        }
        return steps;
    }

    private static String key(int version, String object) {
        return version + " " + object.toLowerCase(Locale.ROOT);
    }

    private static String shorten(String statement) {
        return statement.length() <= 140 ? statement : statement.substring(0, 137) + "...";
    }

    // ---- what a set of migrations creates -------------------------------------------------------

    private static final int CI = Pattern.CASE_INSENSITIVE;
    static final Pattern CREATE_TABLE = Pattern.compile(
            "^CREATE (?:(?:UNLOGGED|TEMP|TEMPORARY) )?TABLE (?:IF NOT EXISTS )?([^\\s(]+) ?\\((.*)\\)[^)]*$", CI);
    static final Pattern CREATE_INDEX = Pattern.compile(
            "^CREATE (UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?(?:([^\\s(]+) )?ON (?:ONLY )?([^\\s(]+)(.*)$", CI);
    static final Pattern CREATE_FUNCTION = Pattern.compile("^CREATE (OR REPLACE )?(?:FUNCTION|PROCEDURE) ([^\\s(]+)", CI);
    static final Pattern CREATE_TRIGGER = Pattern.compile(
            "^CREATE (?:OR REPLACE )?(?:CONSTRAINT )?TRIGGER (\\S+) .*? ON ([^\\s(]+)", CI);
    static final Pattern ALTER_TABLE = Pattern.compile("^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(\\S+) (.*)$", CI);
    static final Pattern ADD_COLUMN = Pattern.compile("^ADD (?:COLUMN )?(?:IF NOT EXISTS )?(\\S+)(.*)$", CI);
    static final Pattern ADD_CONSTRAINT = Pattern.compile(
            "^ADD (?:CONSTRAINT (\\S+) )?(CHECK|UNIQUE|PRIMARY KEY|FOREIGN KEY|EXCLUDE)\\b(.*)$", CI);

    /** Tables, their columns, unique indexes and functions that a list of migrations creates. */
    record Schema(Set<String> tables, Map<String, Set<String>> columns, Set<String> uniqueIndexes, Set<String> functions) {

        static Schema of(List<Migration> migrations) {
            Schema schema = new Schema(new HashSet<>(), new LinkedHashMap<>(), new HashSet<>(), new HashSet<>());
            for (Migration m : migrations) {
                for (String statement : SqlStatements.of(m.sql())) {
                    schema.learn(statement);
                }
            }
            return schema;
        }

        private void learn(String statement) {
            Matcher m;
            if ((m = CREATE_TABLE.matcher(statement)).matches()) {
                String table = SqlStatements.identifier(m.group(1));
                tables.add(table);
                for (String part : SqlStatements.topLevelParts(m.group(2))) {
                    String first = part.split(" ", 2)[0];
                    if (!first.isEmpty() && !isConstraintKeyword(first)) {
                        columnsOf(table).add(SqlStatements.identifier(first));
                    }
                }
            } else if ((m = CREATE_INDEX.matcher(statement)).matches() && m.group(1) != null && m.group(2) != null) {
                uniqueIndexes.add(SqlStatements.identifier(m.group(2)));
            } else if ((m = CREATE_FUNCTION.matcher(statement)).find()) {
                functions.add(SqlStatements.identifier(m.group(2)));
            } else if ((m = ALTER_TABLE.matcher(statement)).matches()) {
                String table = SqlStatements.identifier(m.group(1));
                for (String action : SqlStatements.topLevelParts(m.group(2))) {
                    Matcher add = ADD_COLUMN.matcher(action);
                    if (!ADD_CONSTRAINT.matcher(action).matches() && add.matches()) {
                        columnsOf(table).add(SqlStatements.identifier(add.group(1)));
                    }
                }
            }
        }

        Set<String> columnsOf(String table) {
            return columns.computeIfAbsent(table, t -> new HashSet<>());
        }

        private static boolean isConstraintKeyword(String word) {
            return Set.of("constraint", "check", "unique", "primary", "foreign", "exclude", "like")
                    .contains(word.toLowerCase(Locale.ROOT));
        }
    }

    // ---- one new migration, statement by statement ------------------------------------------------

    private static final Pattern DROP = Pattern.compile(
            "^DROP (TABLE|VIEW|MATERIALIZED VIEW|INDEX|FUNCTION|PROCEDURE|TYPE|DOMAIN|SEQUENCE|TRIGGER|SCHEMA|RULE|POLICY)"
                    + " (?:CONCURRENTLY )?(?:IF EXISTS )?(.*)$", CI);
    private static final Pattern TRUNCATE = Pattern.compile("^TRUNCATE (?:TABLE )?(?:ONLY )?(.*)$", CI);
    private static final Pattern DELETE = Pattern.compile("^DELETE FROM (?:ONLY )?(\\S+)", CI);
    private static final Pattern DO_BLOCK = Pattern.compile("^DO\\b", CI);
    private static final Pattern ALTER_OTHER = Pattern.compile(
            "^ALTER (INDEX|SEQUENCE|TYPE|VIEW|MATERIALIZED VIEW|FUNCTION|DOMAIN|SCHEMA) (?:IF EXISTS )?(\\S+) "
                    + "(?:.* )?(RENAME|DROP ATTRIBUTE|SET SCHEMA)\\b.*$", CI);

    private static final Pattern DROP_CONSTRAINT = Pattern.compile("^DROP CONSTRAINT (?:IF EXISTS )?(\\S+).*$", CI);
    private static final Pattern DROP_COLUMN = Pattern.compile("^DROP (?:COLUMN )?(?:IF EXISTS )?(\\S+).*$", CI);
    private static final Pattern RENAME_TABLE = Pattern.compile("^(?:RENAME TO|SET SCHEMA) (\\S+)$", CI);
    private static final Pattern RENAME_CONSTRAINT = Pattern.compile("^RENAME CONSTRAINT (\\S+) TO (\\S+)$", CI);
    private static final Pattern RENAME_COLUMN = Pattern.compile("^RENAME (?:COLUMN )?(\\S+) TO (\\S+)$", CI);
    private static final Pattern ALTER_COLUMN = Pattern.compile(
            "^ALTER (?:COLUMN )?(\\S+) (?:(?:SET DATA )?TYPE\\b.*|SET NOT NULL|DROP DEFAULT)$", CI);
    private static final Pattern NOT_NULL = Pattern.compile("\\bNOT NULL\\b", CI);
    private static final Pattern DEFAULT_OR_GENERATED = Pattern.compile("\\b(DEFAULT|GENERATED)\\b", CI);

    private static final class MigrationReview {
        private final Migration migration;
        private final Schema before;
        private final Schema added;
        private final List<Step> steps;
        /** table.constraint dropped in this migration → the statement, until a CHECK of that name is added back */
        private final Map<String, String> droppedConstraints = new LinkedHashMap<>();
        private final Set<String> checksAddedBack = new HashSet<>();

        MigrationReview(Migration migration, Schema before, Schema added, List<Step> steps) {
            this.migration = migration;
            this.before = before;
            this.added = added;
            this.steps = steps;
        }

        void run() {
            for (String statement : SqlStatements.of(migration.sql())) {
                review(statement);
            }
            droppedConstraints.forEach((constraint, statement) -> {
                if (!checksAddedBack.contains(constraint)) {
                    step(constraint, "drops constraint " + constraint + " (the previous release may rely on it, e.g."
                            + " a unique key its ON CONFLICT names)", statement, null);
                }
            });
        }

        private void review(String statement) {
            Matcher m;
            if ((m = ALTER_TABLE.matcher(statement)).matches()) {
                String table = SqlStatements.identifier(m.group(1));
                if (isOld(table)) {
                    for (String action : SqlStatements.topLevelParts(m.group(2))) {
                        alterTable(table, action, statement);
                    }
                }
            } else if ((m = DROP.matcher(statement)).matches()) {
                drop(m.group(1).toUpperCase(Locale.ROOT), m.group(2), statement);
            } else if ((m = TRUNCATE.matcher(statement)).matches()) {
                for (String name : SqlStatements.topLevelParts(m.group(1).replaceAll("(?i) (CASCADE|RESTRICT|RESTART IDENTITY|CONTINUE IDENTITY).*$", ""))) {
                    String table = SqlStatements.identifier(name);
                    if (isOld(table)) {
                        step(table, "empties table " + table, statement, null);
                    }
                }
            } else if ((m = DELETE.matcher(statement)).find()) {
                String table = SqlStatements.identifier(m.group(1));
                if (isOld(table)) {
                    step(table, "deletes rows of " + table + " the previous release may read", statement, null);
                }
            } else if (DO_BLOCK.matcher(statement).find()) {
                step("DO", "runs a DO block, whose dynamic SQL no rule can read", statement, null);
            } else if ((m = ALTER_OTHER.matcher(statement)).matches()) {
                String name = SqlStatements.identifier(m.group(2));
                step(name, "renames or reshapes " + m.group(1).toLowerCase(Locale.ROOT) + " " + name, statement, null);
            } else if ((m = CREATE_INDEX.matcher(statement)).matches()) {
                String table = SqlStatements.identifier(m.group(3));
                if (m.group(1) != null && isOld(table) && !mentionsNewColumn(table, m.group(4))) {
                    String name = m.group(2) == null ? table + "(unique index)" : SqlStatements.identifier(m.group(2));
                    step(name, "adds a unique index on columns of " + table + " the previous release writes", statement, null);
                }
            } else if ((m = CREATE_FUNCTION.matcher(statement)).find()) {
                String name = SqlStatements.identifier(m.group(2));
                if (before.functions().contains(name)) {
                    step(name, "replaces function " + name + ", which the previous release's triggers run", statement, null);
                }
            } else if ((m = CREATE_TRIGGER.matcher(statement)).find()) {
                String table = SqlStatements.identifier(m.group(2));
                if (isOld(table)) {
                    String name = SqlStatements.identifier(m.group(1));
                    step(name, "adds trigger " + name + " on " + table + ", which may refuse the previous release's writes",
                            statement, null);
                }
            }
        }

        private void alterTable(String table, String action, String statement) {
            Matcher m;
            if ((m = ADD_CONSTRAINT.matcher(action)).matches()) {
                String name = m.group(1) == null ? null : SqlStatements.identifier(m.group(1));
                String constraint = table + "." + (name == null ? m.group(2).toLowerCase(Locale.ROOT) : name);
                boolean replacesCheck = m.group(2).equalsIgnoreCase("CHECK") && droppedConstraints.containsKey(constraint);
                // a foreign key's own columns are what the previous release writes, not the ones it references
                String over = m.group(2).equalsIgnoreCase("FOREIGN KEY") ? beforeReferences(m.group(3)) : m.group(3);
                if (replacesCheck) {
                    checksAddedBack.add(constraint);
                } else if (!mentionsNewColumn(table, over)) {
                    step(constraint, "adds constraint " + constraint + " over columns the previous release writes",
                            statement, null);
                }
            } else if ((m = ADD_COLUMN.matcher(action)).matches()) {
                String column = SqlStatements.identifier(m.group(1));
                String definition = m.group(2);
                if (NOT_NULL.matcher(definition).find() && !DEFAULT_OR_GENERATED.matcher(definition).find()) {
                    step(table + "." + column, "adds column " + table + "." + column + " NOT NULL without a default,"
                            + " so the previous release's inserts, which do not name it, fail", statement, null);
                }
            } else if ((m = DROP_CONSTRAINT.matcher(action)).matches()) {
                droppedConstraints.put(table + "." + SqlStatements.identifier(m.group(1)), statement);
            } else if ((m = RENAME_TABLE.matcher(action)).matches()) {
                step(table, "renames or moves table " + table, statement, table);
            } else if ((m = RENAME_CONSTRAINT.matcher(action)).matches()) {
                String constraint = table + "." + SqlStatements.identifier(m.group(1));
                step(constraint, "renames constraint " + constraint, statement, null);
            } else if ((m = RENAME_COLUMN.matcher(action)).matches()) {
                String column = SqlStatements.identifier(m.group(1));
                step(table + "." + column, "renames column " + table + "." + column, statement, column);
            } else if ((m = DROP_COLUMN.matcher(action)).matches() && !action.matches("(?i)^DROP (CONSTRAINT|DEFAULT|NOT NULL)\\b.*")) {
                String column = SqlStatements.identifier(m.group(1));
                step(table + "." + column, "drops column " + table + "." + column, statement, column);
            } else if ((m = ALTER_COLUMN.matcher(action)).matches()) {
                String column = SqlStatements.identifier(m.group(1));
                step(table + "." + column, "changes column " + table + "." + column + " (type, NOT NULL or default)"
                        + " under the previous release's reads and writes", statement, null);
            }
        }

        private void drop(String kind, String names, String statement) {
            String list = names.replaceAll("(?i) (CASCADE|RESTRICT)$", "");
            if (kind.equals("TRIGGER") || kind.equals("RULE") || kind.equals("POLICY")) {
                list = list.replaceAll("(?i) ON .*$", "");
            }
            for (String raw : SqlStatements.topLevelParts(list)) {
                String name = SqlStatements.identifier(raw.replaceAll("\\(.*$", ""));
                switch (kind) {
                    case "TABLE" -> {
                        if (isOld(name)) {
                            step(name, "drops table " + name, statement, name);
                        }
                    }
                    case "INDEX" -> {
                        if (before.uniqueIndexes().contains(name)) {
                            step(name, "drops unique index " + name + ", which the previous release's ON CONFLICT"
                                    + " may name", statement, null);
                        }
                    }
                    default -> step(name, "drops " + kind.toLowerCase(Locale.ROOT) + " " + name, statement, null);
                }
            }
        }

        /** A table the previous release knew (one only the new migrations create is theirs to shape). */
        private boolean isOld(String table) {
            return before.tables().contains(table) || !added.tables().contains(table);
        }

        /** Whether SQL text names a column of {@code table} that the previous release does not have. */
        private boolean mentionsNewColumn(String table, String text) {
            Set<String> newColumns = new HashSet<>(added.columnsOf(table));
            newColumns.removeAll(before.columnsOf(table));
            String lower = text.toLowerCase(Locale.ROOT);
            return newColumns.stream().anyMatch(c -> Pattern.compile("\\b" + Pattern.quote(c) + "\\b").matcher(lower).find());
        }

        private static String beforeReferences(String foreignKey) {
            int at = foreignKey.toUpperCase(Locale.ROOT).indexOf("REFERENCES");
            return at < 0 ? foreignKey : foreignKey.substring(0, at);
        }

        private void step(String object, String why, String statement, String removesName) {
            steps.add(new Step(migration, object, why, statement, removesName));
        }
    }
}
