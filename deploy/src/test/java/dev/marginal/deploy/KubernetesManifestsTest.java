package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** deploy/k8s: every manifest is a valid typed Kubernetes object, and the rules that keep it deployable hold. */
class KubernetesManifestsTest {

    static final Path K8S = DeployFiles.deploy().resolve("k8s");

    /** Every typed object of every manifest; the FlinkDeployment (a custom resource) is FlinkDeploymentTest's. */
    static List<HasMetadata> objects() {
        List<HasMetadata> out = new ArrayList<>();
        for (Path file : manifestFiles()) {
            for (JsonNode doc : DeployFiles.yamlDocuments(file)) {
                if (!doc.path("kind").asText().equals("FlinkDeployment")) {
                    out.add(StrictModels.read(doc, file.getFileName().toString()));
                }
            }
        }
        return out;
    }

    static List<Path> manifestFiles() {
        return DeployFiles.list(K8S, ".yaml").stream().filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).toList();
    }

    private static <T> List<T> ofType(Class<T> type) {
        return objects().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void everyManifestIsReadStrictlyIntoTypedModels() {
        List<HasMetadata> all = objects();
        assertThat(all).extracting(o -> o.getKind()).contains("Deployment", "Service", "PodDisruptionBudget", "ConfigMap", "Namespace");
        Set<String> names = new TreeSet<>();
        for (HasMetadata o : all) {
            assertThat(o.getMetadata().getName()).as("%s has a name", o.getKind()).isNotBlank();
            assertThat(names.add(o.getKind() + "/" + o.getMetadata().getName())).as("unique %s/%s", o.getKind(), o.getMetadata().getName()).isTrue();
            assertThat(o.getMetadata().getLabels()).as("%s/%s labels", o.getKind(), o.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/part-of", "marginal");
        }
    }

    @Test
    void aTypoInAFieldNameIsRejected() {
        JsonNode doc = DeployFiles.yamlDocuments(K8S.resolve("billing-core.yaml")).get(0).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.path("spec").path("template").path("spec").path("containers").get(0))
                .set("readinesProbe", doc.path("spec").path("template").path("spec").path("containers").get(0).path("readinessProbe"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StrictModels.read(doc, "mutated"))
                .hasMessageContaining("readinesProbe");
    }

    @Test
    void kustomizationListsEveryManifestAndGeneratesTheConfigFromTheClusterProfile() {
        JsonNode k = DeployFiles.yaml(K8S.resolve("kustomization.yaml"));
        List<String> resources = new ArrayList<>();
        k.path("resources").forEach(r -> resources.add(r.asText()));
        assertThat(resources).containsExactlyInAnyOrderElementsOf(manifestFiles().stream().map(p -> p.getFileName().toString()).toList());
        JsonNode generator = k.path("configMapGenerator").get(0);
        assertThat(generator.path("name").asText()).isEqualTo("marginal-config");
        assertThat(K8S.resolve(generator.path("envs").get(0).asText()).normalize())
                .isEqualTo(DeployFiles.deploy().resolve("profiles/cluster.env"));
        assertThat(k.path("generatorOptions").path("disableNameSuffixHash").asBoolean()).isTrue();
    }

    @Test
    void everyContainerHasProbesResourcesAndAPinnedImage() {
        for (Deployment d : ofType(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            for (Container c : pod.getContainers()) {
                String where = d.getMetadata().getName() + "/" + c.getName();
                assertThat(c.getReadinessProbe()).as("%s readiness probe", where).isNotNull();
                assertThat(c.getLivenessProbe()).as("%s liveness probe", where).isNotNull();
                for (Probe p : List.of(c.getReadinessProbe(), c.getLivenessProbe())) {
                    if (p.getHttpGet() != null) {
                        assertThat(portExists(c, p.getHttpGet())).as("%s probe port %s", where, p.getHttpGet().getPort()).isTrue();
                    }
                }
                assertPinned(c.getImage(), where);
                assertThat(c.getResources().getRequests()).as("%s requests", where).containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).as("%s memory limit", where).containsKey("memory");
            }
            if (pod.getInitContainers() != null) {
                pod.getInitContainers().forEach(c -> assertPinned(c.getImage(), d.getMetadata().getName() + "/" + c.getName()));
            }
        }
    }

    static void assertPinned(String image, String where) {
        String tag = image.contains("@sha256:") ? "digest" : image.substring(image.lastIndexOf('/') + 1).contains(":")
                ? image.substring(image.lastIndexOf(':') + 1) : "";
        assertThat(tag).as("%s image %s is pinned to a version", where, image).isNotEmpty().isNotEqualTo("latest");
    }

    private static boolean portExists(Container c, HTTPGetAction get) {
        return get.getPort().getIntVal() != null
                ? c.getPorts().stream().anyMatch(p -> p.getContainerPort().equals(get.getPort().getIntVal()))
                : c.getPorts().stream().anyMatch(p -> get.getPort().getStrVal().equals(p.getName()));
    }

    @Test
    void billingCoreProbesTheActuatorAndRollsWithoutLosingCapacity() {
        Deployment d = ofType(Deployment.class).stream().filter(x -> x.getMetadata().getName().equals("billing-core")).findFirst().orElseThrow();
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("prometheus.io/path", "/actuator/prometheus");
        assertThat(c.getPorts()).extracting(p -> p.getContainerPort())
                .contains(Integer.parseInt(ProfilesTest.cluster().get("MARGINAL_BILLING_PORT")));
    }

    @Test
    void everyReplicatedDeploymentRollsWithMaxUnavailableZero() {
        for (Deployment d : ofType(Deployment.class)) {
            if (d.getSpec().getReplicas() > 1) {
                assertThat(d.getSpec().getStrategy().getType()).as(d.getMetadata().getName()).isEqualTo("RollingUpdate");
                assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                        .as("%s maxUnavailable", d.getMetadata().getName()).isZero();
            }
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                    .as("%s selector matches its pods", d.getMetadata().getName())
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        }
    }

    @Test
    void everyPodDisruptionBudgetSelectsExactlyOneDeploymentAndLeavesRoomToDrain() {
        List<PodDisruptionBudget> pdbs = ofType(PodDisruptionBudget.class);
        assertThat(pdbs).extracting(p -> p.getMetadata().getName()).contains("billing-core");
        for (PodDisruptionBudget pdb : pdbs) {
            Map<String, String> selector = pdb.getSpec().getSelector().getMatchLabels();
            List<Deployment> selected = ofType(Deployment.class).stream()
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            assertThat(selected).as("deployments selected by PDB %s", pdb.getMetadata().getName()).hasSize(1);
            int replicas = selected.get(0).getSpec().getReplicas();
            if (pdb.getSpec().getMinAvailable() != null) {
                assertThat(pdb.getSpec().getMinAvailable().getIntVal()).as("PDB %s lets one pod go", pdb.getMetadata().getName())
                        .isLessThan(replicas);
            } else {
                assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isPositive();
            }
        }
        // Every Deployment with more than one replica has a PDB.
        for (Deployment d : ofType(Deployment.class)) {
            if (d.getSpec().getReplicas() > 1) {
                assertThat(pdbs).as("a PDB for %s", d.getMetadata().getName()).anyMatch(p -> d.getSpec().getTemplate().getMetadata()
                        .getLabels().entrySet().containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()));
            }
        }
    }

    @Test
    void everyServiceSelectsPodsThatServeItsTargetPort() {
        for (Service s : ofType(Service.class)) {
            List<Container> containers = ofType(Deployment.class).stream()
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                    .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()).toList();
            assertThat(containers).as("pods behind Service %s", s.getMetadata().getName()).isNotEmpty();
            for (ServicePort port : s.getSpec().getPorts()) {
                String target = port.getTargetPort().getStrVal();
                assertThat(containers).as("Service %s targetPort %s", s.getMetadata().getName(), target)
                        .allMatch(c -> c.getPorts().stream().anyMatch(p -> target.equals(p.getName())));
            }
        }
    }

    /** Which service's code runs in which container, so its environment can be checked against what that code reads. */
    static final Map<String, Set<String>> READS = Map.of("billing-core/billing-core", ProfilesTest.readByBillingCore());

    @Test
    void everyVariableAServiceReadsIsSetAndSecretsComeFromTheSecret() {
        for (Deployment d : ofType(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String where = d.getMetadata().getName() + "/" + c.getName();
                Set<String> needed = READS.getOrDefault(where, Set.of());
                checkEnvironment(where, c.getEnvFrom() == null ? List.of() : c.getEnvFrom().stream()
                        .filter(e -> e.getConfigMapRef() != null).map(e -> e.getConfigMapRef().getName()).toList(), c.getEnv(), needed);
            }
        }
        assertThat(READS).containsKey("billing-core/billing-core");
    }

    static void checkEnvironment(String where, List<String> configMapsFrom, List<EnvVar> env, Set<String> needed) {
        Map<String, String> cluster = ProfilesTest.cluster();
        Map<String, EnvVar> explicit = env == null ? Map.of() : env.stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        boolean fromConfig = configMapsFrom.contains("marginal-config");
        for (String key : needed) {
            EnvVar var = explicit.get(key);
            String profileValue = cluster.get(key);
            if (profileValue != null && profileValue.startsWith("secret:")) {
                assertThat(var).as("%s sets %s from Secret marginal-secrets", where, key).isNotNull();
                assertThat(var.getValueFrom().getSecretKeyRef().getName()).as("%s %s", where, key).isEqualTo("marginal-secrets");
                assertThat(var.getValueFrom().getSecretKeyRef().getKey()).as("%s %s", where, key).isEqualTo(profileValue.substring("secret:".length()));
            } else {
                assertThat(var != null || (fromConfig && profileValue != null)).as("%s gets %s", where, key).isTrue();
            }
        }
        // A configMapKeyRef must name a key the profile defines.
        explicit.values().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null).forEach(e -> {
            assertThat(e.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("marginal-config");
            assertThat(cluster).as("%s %s", where, e.getName()).containsKey(e.getValueFrom().getConfigMapKeyRef().getKey());
            assertThat(cluster.get(e.getValueFrom().getConfigMapKeyRef().getKey())).doesNotStartWith("secret:");
        });
    }

    @Test
    void theDayCloseRunsOnceAtATimeWithTheFlinkDeploymentsJarImageAndEnvironment() {
        CronJob cron = ofType(CronJob.class).stream().filter(c -> c.getMetadata().getName().equals("day-close")).findFirst().orElseThrow();
        assertThat(cron.getSpec().getConcurrencyPolicy()).as("two closers of one day would refuse each other's commits").isEqualTo("Forbid");
        PodSpec pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        JsonNode flink = DeployFiles.yaml(K8S.resolve("flink-raw-events.yaml")).path("spec");

        // The init container fetches the jar the FlinkDeployment runs into the volume the closer reads.
        Container fetch = pod.getInitContainers().get(0);
        assertPinned(fetch.getImage(), "day-close/" + fetch.getName());
        Map<String, EnvVar> fetchEnv = fetch.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(fetchEnv.get("JOB_JAR").getValue()).isEqualTo(flink.path("job").path("jarURI").asText());
        assertThat(fetch.getArgs()).singleElement().asString().contains("\"$JOB_JAR\" /jars/marginal-pipelines.jar")
                .contains("--endpoint-url \"$MARGINAL_S3_ENDPOINT\"");
        checkEnvironment("day-close/" + fetch.getName(), List.of(), fetch.getEnv(), Set.of("MARGINAL_S3_ENDPOINT"));

        Container close = pod.getContainers().get(0);
        assertThat(close.getImage()).as("the JRE of the FlinkDeployment's image").isEqualTo(flink.path("image").asText());
        assertThat(close.getCommand()).containsSubsequence("-jar", "/jars/marginal-pipelines.jar", "day-close", "--once");
        assertThat(DeployFiles.read(DeployFiles.root().resolve("pipelines/src/main/java/dev/marginal/pipelines/Main.java")))
                .as("the jar's main knows the command").contains("case \"day-close\"");
        assertThat(close.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
                .containsExactly(fetch.getVolumeMounts().get(0).getName() + ":/jars");
        assertThat(close.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(close.getResources().getLimits()).containsKey("memory");
        checkEnvironment("day-close/day-close", close.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
                .map(e -> e.getConfigMapRef().getName()).toList(), close.getEnv(), ProfilesTest.readByPipelines());
        assertThat(close.getEnv()).extracting(EnvVar::getName).contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void imagesAreTheVersionsTheBuildUses() {
        Map<String, String> images = ofType(Deployment.class).stream()
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .collect(Collectors.toMap(Container::getName, Container::getImage, (a, b) -> {
                    assertThat(a).as("one image per container name").isEqualTo(b);
                    return a;
                }));
        assertThat(images.get("trino")).isEqualTo("trinodb/trino:" + DeployFiles.parentPomProperty("trino.version"));
        assertThat(images.get("iceberg-rest")).isEqualTo("apache/iceberg-rest-fixture:" + DeployFiles.parentPomProperty("iceberg.version"));
        // The image billing-core/service's `image` profile builds with Jib (ContainerImageIT reads its tag).
        java.util.regex.Matcher built = java.util.regex.Pattern.compile("<billing.image>([^<]+)</billing.image>")
                .matcher(DeployFiles.read(DeployFiles.root().resolve("billing-core/service/pom.xml")));
        assertThat(built.find()).as("billing.image in billing-core/service/pom.xml").isTrue();
        assertThat(images.get("billing-core")).isEqualTo(built.group(1));
        String initDriver = ofType(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("iceberg-rest"))
                .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getInitContainers().get(0).getCommand().toString();
        assertThat(initDriver).contains("postgresql-" + DeployFiles.parentPomProperty("postgresql-jdbc.version") + ".jar");
    }

    @Test
    void trinoReadsTheSameMarginalCatalogThroughTheRestCatalogOnS3() throws Exception {
        Map<String, ConfigMap> maps = ofType(ConfigMap.class).stream().collect(Collectors.toMap(m -> m.getMetadata().getName(), m -> m));
        Properties catalog = properties(maps.get("trino-catalog").getData().get("marginal.properties"));
        assertThat(catalog.getProperty("connector.name")).isEqualTo("iceberg");
        assertThat(catalog.getProperty("iceberg.catalog.type")).isEqualTo("rest");
        assertThat(catalog.getProperty("fs.native-s3.enabled")).isEqualTo("true");
        assertThat(catalog.getProperty("iceberg.rest-catalog.warehouse")).isEqualTo(ProfilesTest.cluster().get("MARGINAL_WAREHOUSE"));
        assertThat(serviceAt(URI.create(catalog.getProperty("iceberg.rest-catalog.uri")))).isEqualTo("iceberg-rest");

        // Settings shared with the local catalog (warehouse/src/main/resources/trino) keep their values.
        Properties local = properties(DeployFiles.read(DeployFiles.root().resolve("warehouse/src/main/resources/trino/catalog/marginal.properties")));
        for (String key : List.of("connector.name", "iceberg.file-format", "iceberg.format-version", "iceberg.register-table-procedure.enabled")) {
            assertThat(catalog.getProperty(key)).as(key).isEqualTo(local.getProperty(key));
        }

        for (String role : List.of("trino-coordinator", "trino-worker")) {
            Properties config = properties(maps.get(role).getData().get("config.properties"));
            assertThat(config.getProperty("coordinator")).isEqualTo(String.valueOf(role.endsWith("coordinator")));
            assertThat(serviceAt(URI.create(config.getProperty("discovery.uri")))).isEqualTo("trino");
            assertThat(properties(maps.get(role).getData().get("node.properties")).getProperty("node.environment")).isEqualTo("marginal");
        }
    }

    /** The Service a URI reaches (by name and port), or null. */
    private static String serviceAt(URI uri) {
        return ofType(Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals(uri.getHost()))
                .filter(s -> s.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == uri.getPort()))
                .map(s -> s.getMetadata().getName()).findFirst().orElse(null);
    }

    private static Properties properties(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }
}
