package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/profiles: local.env and cluster.env name the same keys, every key a service reads, nothing unknown. */
class ProfilesTest {

    static Map<String, String> local() {
        return DeployFiles.envFile(DeployFiles.deploy().resolve("profiles/local.env"));
    }

    static Map<String, String> cluster() {
        return DeployFiles.envFile(DeployFiles.deploy().resolve("profiles/cluster.env"));
    }

    private static Set<String> matches(String regex, Path file) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(DeployFiles.read(file));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** What billing-core reads: its application.properties placeholders. */
    static Set<String> readByBillingCore() {
        return matches("\\$\\{(MARGINAL_[A-Z0-9_]+)", DeployFiles.root().resolve("billing-core/service/src/main/resources/application.properties"));
    }

    /** What the pipelines read: the one class that reads their environment. */
    static Set<String> readByPipelines() {
        return matches("\"(MARGINAL_[A-Z0-9_]+)\"", DeployFiles.root().resolve("pipelines/src/main/java/dev/marginal/pipelines/PipelinesConfig.java"));
    }

    /** What the Kafka Connect connector asks its worker's environment for. */
    static Set<String> readByConnector() {
        return matches("\\$\\{env:(MARGINAL_[A-Z0-9_]+)}", DeployFiles.deploy().resolve("kafka-connect/marginal-cdc.json"));
    }

    @Test
    void bothProfilesNameTheSameKeys() {
        assertThat(cluster().keySet()).containsExactlyInAnyOrderElementsOf(local().keySet());
    }

    @Test
    void everyKeyAServiceReadsIsSetInBothProfiles() {
        assertThat(readByBillingCore()).contains("MARGINAL_DB_URL", "MARGINAL_PLATFORM_TOKEN");
        assertThat(readByPipelines()).contains("MARGINAL_KAFKA_BOOTSTRAP", "MARGINAL_WAREHOUSE");
        Set<String> read = new TreeSet<>(readByBillingCore());
        read.addAll(readByPipelines());
        read.addAll(readByConnector());
        assertThat(local().keySet()).as("local.env").containsAll(read);
        assertThat(cluster().keySet()).as("cluster.env").containsAll(read);
    }

    @Test
    void noKeyIsUnknown() {
        Set<String> known = new TreeSet<>(readByBillingCore());
        known.addAll(readByPipelines());
        known.addAll(readByConnector());
        known.addAll(matches("`(MARGINAL_[A-Z0-9_]+)`", DeployFiles.root().resolve("docs/architecture.md")));
        assertThat(known).as("known keys").containsAll(local().keySet());
        assertThat(known).as("known keys").containsAll(cluster().keySet());
    }

    @Test
    void secretsAreReferencesNeverValuesOnTheCluster() {
        cluster().forEach((key, value) -> {
            if (key.endsWith("_PASSWORD") || key.endsWith("_TOKEN") || key.endsWith("_SECRET")) {
                assertThat(value).as("cluster.env %s", key).matches("secret:[a-z0-9-]+");
            } else {
                assertThat(value).as("cluster.env %s", key).doesNotStartWith("secret:");
            }
        });
        assertThat(local().get("MARGINAL_PLATFORM_TOKEN")).as("the stack writes the local token").isEqualTo("secret:platform-token");
        assertThat(local().get("MARGINAL_INVOICE_SIGNING_SECRET")).as("the stack writes the local invoice key")
                .isEqualTo("secret:invoice-signing-secret");
    }

    @Test
    void theClusterProfileNamesNoLoopbackOrLocalFilesAndTheLocalOneNoObjectStore() {
        cluster().forEach((key, value) -> assertThat(value).as("cluster.env %s", key)
                .doesNotContain("127.0.0.1").doesNotContain("localhost").doesNotStartWith("file:"));
        assertThat(cluster().get("MARGINAL_WAREHOUSE")).startsWith("s3://");
        local().forEach((key, value) -> assertThat(value).as("local.env %s", key).doesNotStartWith("s3://"));
    }

    @Test
    void theClusterDatabaseAddressAgreesWithItsUrl() {
        Map<String, String> c = cluster();
        assertThat(c.get("MARGINAL_DB_URL")).isEqualTo("jdbc:postgresql://" + c.get("MARGINAL_DB_HOST") + ":"
                + c.get("MARGINAL_DB_PORT") + "/" + c.get("MARGINAL_DB_NAME"));
        Map<String, String> l = local();
        assertThat(l.get("MARGINAL_DB_URL")).isEqualTo("jdbc:postgresql://" + l.get("MARGINAL_DB_HOST") + ":"
                + l.get("MARGINAL_DB_PORT") + "/" + l.get("MARGINAL_DB_NAME"));
    }
}
