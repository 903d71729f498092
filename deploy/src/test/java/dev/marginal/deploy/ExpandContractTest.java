package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.deploy.ExpandContract.ListedStep;
import dev.marginal.deploy.ExpandContract.Migration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The expand/contract rules on small schemas, and on billing-core's own history. */
class ExpandContractTest {

    static final Migration V1 = Migration.of("V1__customers.sql", """
            -- the previous release's schema
            CREATE TABLE customers (
                id    uuid PRIMARY KEY,
                email text NOT NULL,
                name  text,
                status text NOT NULL CHECK (status IN ('active', 'deleted'))
            );
            CREATE UNIQUE INDEX customers_email ON customers (lower(email));
            CREATE FUNCTION customers_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RETURN NEW; -- a ; inside a body is not a statement's end
            END $$;
            """);

    static final List<Migration> PREVIOUS = List.of(V1);
    static final ExpandContract.PreviousCode USES_NAME_AND_EMAIL = word -> Set.of("name", "email", "customers").contains(word);

    static List<String> violations(String newSql, List<ListedStep> listed) {
        return ExpandContract.violations(PREVIOUS, List.of(V1, Migration.of("V2__next.sql", newSql)), listed, USES_NAME_AND_EMAIL);
    }

    static List<String> violations(String newSql) {
        return violations(newSql, List.of());
    }

    @Test
    void expandStepsPass() {
        assertThat(violations("""
                ALTER TABLE customers ADD COLUMN locale text, ADD COLUMN score integer NOT NULL DEFAULT 0;
                ALTER TABLE customers ADD CONSTRAINT customers_score CHECK (score >= 0 OR locale IS NULL);
                CREATE INDEX customers_locale ON customers (locale);
                CREATE UNIQUE INDEX customers_locale_score ON customers (locale, score) WHERE locale IS NOT NULL;
                CREATE TABLE notes (id uuid PRIMARY KEY, customer_id uuid NOT NULL REFERENCES customers (id), body text NOT NULL);
                ALTER TABLE notes ADD COLUMN author text NOT NULL;
                ALTER TABLE notes DROP COLUMN body;
                UPDATE customers SET score = 1 WHERE name IS NOT NULL;
                ALTER TABLE customers ALTER COLUMN name DROP NOT NULL;
                ALTER TABLE customers ALTER COLUMN name SET DEFAULT 'x';
                """)).isEmpty();
    }

    @Test
    void aCheckReplacedUnderItsOwnNameInTheSameMigrationIsAWideningNotAContraction() {
        assertThat(violations("""
                ALTER TABLE customers DROP CONSTRAINT customers_status_check;
                ALTER TABLE customers ADD CONSTRAINT customers_status_check CHECK (status IN ('active', 'deleted', 'archived'));
                """)).isEmpty();
    }

    @Test
    void droppingAColumnThePreviousReleaseUsesFailsEvenWhenListed() {
        String drop = "ALTER TABLE customers DROP COLUMN name;";
        assertThat(violations(drop)).singleElement().asString()
                .contains("V2__next.sql: drops column customers.name", "contract step", "V2\\tcustomers.name");
        assertThat(violations(drop, List.of(new ListedStep(2, "customers.name", "gone"))))
                .singleElement().asString().contains("previous release's code still names `name`");
    }

    @Test
    void droppingAColumnThePreviousReleaseNoLongerNamesPassesOnceListed() {
        String drop = "ALTER TABLE customers DROP COLUMN IF EXISTS status";
        assertThat(violations(drop)).hasSize(1);
        assertThat(violations(drop, List.of(new ListedStep(2, "customers.status", "unused since V1's release")))).isEmpty();
    }

    @Test
    void everyKindOfContractStepIsFound() {
        List<ExpandContract.Step> steps = ExpandContract.contractSteps(PREVIOUS, List.of(Migration.of("V2__contract.sql", """
                ALTER TABLE customers RENAME COLUMN name TO full_name;
                ALTER TABLE customers ALTER COLUMN email TYPE varchar(100), ALTER email SET NOT NULL;
                ALTER TABLE customers ADD COLUMN region text NOT NULL;
                ALTER TABLE customers ADD CONSTRAINT customers_email_short CHECK (length(email) < 100);
                ALTER TABLE customers DROP CONSTRAINT customers_status_check;
                CREATE UNIQUE INDEX customers_name ON customers (name);
                DROP INDEX customers_email;
                CREATE OR REPLACE FUNCTION customers_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
                CREATE TRIGGER customers_guard BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION customers_guard();
                DO $$ BEGIN EXECUTE 'DROP TABLE customers'; END $$;
                DELETE FROM customers WHERE status = 'deleted';
                ALTER TABLE customers RENAME TO clients;
                DROP TABLE IF EXISTS clients, customers CASCADE;
                """)));
        assertThat(steps).extracting(ExpandContract.Step::object).containsExactly(
                "customers.name", "customers.email", "customers.email", "customers.region", "customers.customers_email_short",
                "customers_name", "customers_email", "customers_guard", "customers_guard", "DO", "customers", "customers",
                "clients", "customers", "customers.customers_status_check");
        assertThat(steps).filteredOn(s -> s.removesName() != null).extracting(ExpandContract.Step::removesName)
                .containsExactly("name", "customers", "clients", "customers");
    }

    @Test
    void releasedMigrationsNeverChangeAndNewOnesComeAfterThem() {
        Migration edited = Migration.of("V1__customers.sql", V1.sql() + "\n-- a comment is an edit too\n");
        Migration clash = Migration.of("V1__other.sql", "CREATE TABLE x (id int);");
        List<String> violations = ExpandContract.violations(PREVIOUS, List.of(edited, clash), List.of(), w -> false);
        assertThat(violations).hasSize(2);
        assertThat(violations.get(0)).contains("V1__customers.sql differs from the previous release's");
        assertThat(violations.get(1)).contains("V1__other.sql is numbered at or below the previous release's last migration (V1)");
        assertThat(ExpandContract.violations(PREVIOUS, List.of(), List.of(), w -> false))
                .singleElement().asString().contains("V1__customers.sql of the previous release is gone");
    }

    @Test
    void aListedStepThatIsNotThereOrIsForAnOlderMigrationIsStale() {
        assertThat(violations("CREATE TABLE t (id int);", List.of(new ListedStep(2, "customers.name", "x"), new ListedStep(1, "customers", "y"))))
                .containsExactly(
                        "contract-steps.tsv lists V2 customers.name, but V2 has no contract step on customers.name: remove or correct the line",
                        "contract-steps.tsv lists V1 customers, which is not a migration newer than the previous release:"
                                + " remove the line (it was for an earlier release)");
    }

    /**
     * Each of billing-core's migrations replayed against the ones before it: the rules flag exactly
     * the five statements that needed a person's judgement — V14 rewrote the function behind
     * product prices' immutability trigger and dropped a constraint found by a DO block's dynamic
     * SQL; V18 dropped the unique key (subscription_id, period_start), which an older release's
     * order insert could rely on, for a narrower unique index; V26 added a unique index on customers
     * (id, organization_id), which holds the primary key, so no write can break it (listed in
     * contract-steps.tsv). Everything else (new tables and
     * columns, widened CHECKs, a rebuilt non-unique index, backfills) passes.
     */
    @Test
    void billingCoresOwnHistoryReplayed() {
        List<Migration> all = PreviousRelease.currentMigrations();
        List<String> flagged = new java.util.ArrayList<>();
        for (Migration m : all) {
            List<Migration> before = all.stream().filter(b -> b.version() < m.version()).toList();
            ExpandContract.contractSteps(before, List.of(m)).forEach(s -> flagged.add("V" + m.version() + " " + s.object()));
        }
        assertThat(flagged).containsExactly(
                "V14 product_prices_are_immutable", "V14 DO",
                "V18 orders_one_per_period", "V18 orders.orders_subscription_id_period_start_key",
                "V26 customers_id_organization");
    }
}
