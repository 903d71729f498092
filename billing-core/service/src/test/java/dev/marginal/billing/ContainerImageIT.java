package dev.marginal.billing;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image the {@code image} profile builds with Jib ({@code target/jib-image.tar}, Docker's
 * {@code docker save} format), read as a container runtime reads it: manifest, config, layers in
 * order. Run by that profile only (failsafe, after {@code jib:buildTar}).
 */
class ContainerImageIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MAIN = "dev.marginal.billing.BillingApplication";

    /** One file of the image's file system: its mode and content (directories have none). */
    record Entry(int mode, boolean directory, byte[] content) {
    }

    static Map<String, byte[]> tar;
    static JsonNode config;
    static Map<String, Entry> files;

    @BeforeAll
    static void readImage() throws IOException {
        Path image = Path.of(System.getProperty("marginal.image.tar", "target/jib-image.tar"));
        assertThat(image).as("the image tarball jib:buildTar writes").isRegularFile();
        tar = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(image)) {
            readTar(in, (name, entry) -> tar.put(name, entry.content()));
        }
        JsonNode manifest = JSON.readTree(tar.get("manifest.json"));
        assertThat(manifest).as("manifest.json: one image").hasSize(1);
        config = JSON.readTree(tar.get(manifest.get(0).path("Config").asText()));
        files = new HashMap<>();
        for (JsonNode layer : manifest.get(0).path("Layers")) {
            assertThat(tar).as("layer %s", layer.asText()).containsKey(layer.asText());
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(tar.get(layer.asText())))) {
                readTar(in, (name, entry) -> files.put("/" + name.replaceAll("^\\./", "").replaceAll("/$", ""), entry));
            }
        }
    }

    @Test
    void isTaggedAsTheKubernetesDeploymentNamesIt() throws IOException {
        String name = System.getProperty("marginal.image.name");
        JsonNode manifest = JSON.readTree(tar.get("manifest.json"));
        assertThat(manifest.get(0).path("RepoTags")).extracting(JsonNode::asText).containsExactly(name);
        Path deployment = Path.of("../../deploy/k8s/billing-core.yaml");
        assertThat(Files.readString(deployment)).as("deploy/k8s/billing-core.yaml").contains("image: " + name + "\n");
    }

    @Test
    void startsTheApplicationWithTheImagesOwnJavaAsTheDeploymentsUser() {
        JsonNode c = config.path("config");
        assertThat(c.path("Entrypoint")).extracting(JsonNode::asText)
                .containsExactly("java", "-cp", "@/app/jib-classpath-file", MAIN);
        assertThat(c.path("Env")).extracting(JsonNode::asText).contains("PATH=/opt/java/bin", "JAVA_HOME=/opt/java");
        assertThat(c.path("User").asText()).as("runAsUser of the Deployment").isEqualTo("10001");
        assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
        assertThat(config.path("os").asText()).isEqualTo("linux");
    }

    @Test
    void holdsTheApplicationEveryClasspathEntryAndARunnableJava() {
        assertThat(files).containsKeys("/app/classes/" + MAIN.replace('.', '/') + ".class",
                "/app/resources/application.properties", "/app/resources/db/migration/V22__event_trace_id.sql",
                "/opt/java/lib/server/libjvm.so", "/opt/java/lib/libjli.so", "/lib/x86_64-linux-gnu/libc.so.6",
                "/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libstdc++.so.6");
        String classpath = new String(files.get("/app/jib-classpath-file").content(), StandardCharsets.UTF_8).strip();
        List<String> entries = Arrays.asList(classpath.split(":"));
        assertThat(entries).contains("/app/classes", "/app/resources").anyMatch(e -> e.matches("/app/libs/spring-boot-\\d.*\\.jar"));
        assertThat(entries).allSatisfy(e -> assertThat(files).as("classpath entry %s", e).containsKey(e));
        // What the kernel and the dynamic loader need to start /opt/java/bin/java.
        for (String executable : List.of("/opt/java/bin/java", "/lib64/ld-linux-x86-64.so.2")) {
            assertThat(files.get(executable).mode() & 0111).as("%s executable", executable).isNotZero();
        }
        assertThat(files.get("/tmp").directory()).isTrue();
        assertThat(files.get("/tmp").mode() & 0777).as("/tmp, Tomcat's work directory, writable by uid 10001").isEqualTo(0777);
    }

    /** The image's Java, unpacked, runs: its files are a complete runtime, not only names. */
    @Test
    void theImagesJavaRunsFromItsUnpackedLayers() throws Exception {
        Path root = Path.of("target/jib-image-root");
        for (Map.Entry<String, Entry> f : files.entrySet()) {
            if (!f.getKey().startsWith("/opt/java/") || f.getValue().directory()) {
                continue;
            }
            Path target = root.resolve(f.getKey().substring(1));
            Files.createDirectories(target.getParent());
            Files.write(target, f.getValue().content());
            target.toFile().setExecutable((f.getValue().mode() & 0100) != 0);
        }
        Process java = new ProcessBuilder(root.resolve("opt/java/bin/java").toString(), "-version").redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        assertThat(out).contains("version \"17");
    }

    interface EntryConsumer {
        void accept(String name, Entry entry) throws IOException;
    }

    /**
     * A ustar reader, enough for Jib's archives: 512-byte headers, PAX extended headers ({@code x})
     * for long paths, regular files and directories; links are not used by Jib.
     */
    static void readTar(InputStream in, EntryConsumer consumer) throws IOException {
        String longName = null;
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512) {
            if (header[0] == 0) {
                return;
            }
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            int mode = Integer.parseInt(field(header, 100, 8).strip(), 8);
            long size = Long.parseLong(field(header, 124, 12).strip(), 8);
            char type = (char) header[156];
            byte[] content = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (type == 'x') {
                for (String record : paxRecords(content)) {
                    if (record.startsWith("path=")) {
                        longName = record.substring(5);
                    }
                }
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            consumer.accept(name, new Entry(mode, type == '5', content));
        }
    }

    private static List<String> paxRecords(byte[] content) {
        List<String> records = new ArrayList<>();
        int i = 0;
        while (i < content.length) {
            int space = i;
            while (content[space] != ' ') {
                space++;
            }
            int length = Integer.parseInt(new String(content, i, space - i, StandardCharsets.US_ASCII));
            records.add(new String(content, space + 1, length - (space - i) - 2, StandardCharsets.UTF_8));
            i += length;
        }
        return records;
    }

    private static String field(byte[] header, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = offset; i < offset + length && header[i] != 0; i++) {
            out.write(header[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
