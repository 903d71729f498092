package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/flink-raw-events.yaml against the FlinkDeployment schema of the fields we use
 * (src/test/resources/crds, written from the operator's CRD reference; Maven Central's newest
 * operator API, 1.10.0, predates Flink 2.x), checked the way the API server checks with strict
 * field validation; its pod template as a typed Pod.
 */
class FlinkDeploymentTest {

    private static JsonNode deployment() {
        return DeployFiles.yaml(KubernetesManifestsTest.K8S.resolve("flink-raw-events.yaml"));
    }

    private static JsonNode schema() {
        return DeployFiles.yaml(Path.of("src/test/resources/crds/flinkdeployment-v1beta1.schema.yml").toAbsolutePath());
    }

    @Test
    void conformsToTheOperatorsCrd() {
        JsonNode d = deployment();
        assertThat(d.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(d.path("kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(CrdSchema.violations(d, schema())).isEmpty();
        StrictModels.read(d.path("metadata"), io.fabric8.kubernetes.api.model.ObjectMeta.class, "FlinkDeployment metadata");
    }

    @Test
    void theSchemaCheckCatchesTyposAndBadEnums() {
        ObjectNode d = deployment().deepCopy();
        ((ObjectNode) d.path("spec").path("job")).put("upgradeMod", "savepoint");
        ((ObjectNode) d.path("spec")).put("flinkVersion", "v2_9");
        ((ObjectNode) d.path("spec").path("jobManager")).put("replicas", "one");
        assertThat(CrdSchema.violations(d, schema())).hasSize(3)
                .anyMatch(v -> v.contains("upgradeMod")).anyMatch(v -> v.contains("v2_9")).anyMatch(v -> v.contains("replicas"));
    }

    @Test
    void thePodTemplateIsAStrictlyValidPod() {
        Pod pod = StrictModels.read(deployment().path("spec").path("podTemplate"), Pod.class, "FlinkDeployment podTemplate");
        Container main = pod.getSpec().getContainers().stream().filter(c -> c.getName().equals("flink-main-container")).findFirst()
                .orElseThrow(() -> new AssertionError("the operator merges only a container named flink-main-container"));
        KubernetesManifestsTest.checkEnvironment("raw-events/flink-main-container",
                main.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null).map(e -> e.getConfigMapRef().getName()).toList(),
                main.getEnv(), ProfilesTest.readByPipelines());
    }

    @Test
    void runsThePipelinesJarInApplicationModeUpgradingThroughSavepointsOnS3() {
        JsonNode spec = deployment().path("spec");
        JsonNode job = spec.path("job");
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        // The job jar is fetched from the Flink bucket (the image is Flink's own), one object per release.
        assertThat(job.path("jarURI").asText()).matches("s3://marginal-flink/jars/marginal-pipelines-\\d+\\.\\d+\\.\\d+\\.jar");
        // The entry class exists in the pipelines module and is the cluster's: the JobManager runs its
        // main, so it must leave checkpoints to the cluster and never exit the JVM
        // (RawEventsOnFlinkClusterIT runs it in application mode).
        String entry = job.path("entryClass").asText();
        Path source = DeployFiles.root().resolve("pipelines/src/main/java/" + entry.replace('.', '/') + ".java");
        assertThat(source).exists();
        String code = DeployFiles.read(source);
        assertThat(code).contains("public static void main(").doesNotContain("System.exit(").doesNotContain("CHECKPOINTS_DIRECTORY");
        assertThat(job.has("args")).as("arguments: the entry class takes none").isFalse();

        JsonNode conf = spec.path("flinkConfiguration");
        for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "high-availability.storageDir")) {
            assertThat(conf.path(key).asText()).as(key).startsWith("s3://");
        }
        assertThat(conf.path("execution.checkpointing.mode").asText()).isEqualTo("EXACTLY_ONCE");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");

        // The Flink version the build compiles against.
        String flink = DeployFiles.parentPomProperty("flink.version");
        String[] v = flink.split("\\.");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v" + v[0] + "_" + v[1]);
        assertThat(spec.path("image").asText()).as("Flink's own image of the version the jar is built against, on the jar's Java")
                .isEqualTo("flink:" + flink + "-java" + DeployFiles.parentPomProperty("maven.compiler.release"));
        JsonNode env = spec.path("podTemplate").path("spec").path("containers").get(0).path("env");
        List<String> plugins = new ArrayList<>();
        env.forEach(e -> {
            if (e.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) {
                plugins.add(e.path("value").asText());
            }
        });
        assertThat(plugins).as("the S3 file system plugin of this Flink version").containsExactly("flink-s3-fs-hadoop-" + flink + ".jar");
    }

    @Test
    void flinkConfigurationKeysAreSpelledAsFlink2SpellsThem() {
        // Keys Flink 2 removed or renamed; the operator would pass them through silently.
        Set<String> removed = Set.of("state.checkpoints.dir", "state.savepoints.dir", "state.backend", "execution.checkpointing.externalized-checkpoint-retention-typo",
                "restart-strategy", "high-availability");
        Iterator<Map.Entry<String, JsonNode>> it = deployment().path("spec").path("flinkConfiguration").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            assertThat(removed).as("flinkConfiguration key %s", e.getKey()).doesNotContain(e.getKey());
            assertThat(e.getValue().isTextual()).as("%s is a string, as Flink reads it", e.getKey()).isTrue();
        }
    }
}
