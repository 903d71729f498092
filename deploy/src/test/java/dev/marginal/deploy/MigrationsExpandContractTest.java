package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * This checkout's billing-core migrations against the previous release's (deploy/releases/previous,
 * read from git): released files unchanged, new ones numbered after them, and every contract step
 * listed in deploy/releases/contract-steps.tsv with what it removes unused by that release.
 * PreviousReleaseOnNewSchemaIT then runs that release's service on the new schema.
 */
class MigrationsExpandContractTest {

    @Test
    void theMigrationsKeepThePreviousReleaseWorking() {
        PreviousRelease previous = PreviousRelease.named();
        List<ExpandContract.Migration> released = previous.migrations();
        List<ExpandContract.Migration> current = PreviousRelease.currentMigrations();

        List<String> violations = ExpandContract.violations(released, current, PreviousRelease.listedSteps(), previous::mentions);

        assertThat(violations).as("expand/contract against the previous release " + previous.shortCommit()
                + " (docs/operations.md, \"Releases and schema changes\")").isEmpty();
    }

    @Test
    void thePreviousReleaseIsInThisCheckoutsHistory() {
        PreviousRelease previous = PreviousRelease.named();
        assertThat(previous.isAncestorOfHead()).as(previous.commit() + " is an ancestor of HEAD").isTrue();
    }
}
