package dev.marginal.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trino's etc directory, rendered from the templates the warehouse module owns
 * ({@code warehouse/src/main/resources/trino/}) with this stack's ports, paths and heap.
 *
 * @param etcDir  where the rendered files go ({@code $MARGINAL_HOME/trino/etc})
 * @param dataDir Trino's node.data-dir
 */
record TrinoConfig(StackConfig stack, Path etcDir, Path dataDir) {

    static final List<String> TEMPLATES = List.of(
            "config.properties", "node.properties", "jvm.config", "log.properties", "catalog/marginal.properties",
            "password-authenticator.properties", "access-control.properties", "rules.json");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");

    static TrinoConfig of(StackConfig stack) {
        Path trinoHome = stack.home().resolve("trino");
        return new TrinoConfig(stack, trinoHome.resolve("etc"), trinoHome.resolve("data"));
    }

    /** The values the templates refer to as ${name}. */
    Map<String, String> values() {
        long heapMb = heapMegabytes(stack.trinoHeap());
        Map<String, String> values = new LinkedHashMap<>();
        TrinoSecurity security = new TrinoSecurity(stack);
        values.put("port", Integer.toString(stack.trinoPort()));
        values.put("internalPort", Integer.toString(stack.trinoInternalPort()));
        values.put("keystorePath", security.keystore().toString());
        values.put("keystorePassword", security.keystorePassword());
        values.put("sharedSecret", security.sharedSecret());
        values.put("passwordFile", security.passwordDb().toString());
        values.put("rulesFile", etcDir.resolve("rules.json").toString());
        values.put("nodeId", "marginal-" + StackConfig.homeId(stack.home()));
        values.put("dataDir", dataDir.toString());
        values.put("heap", stack.trinoHeap());
        // Half the heap for one query and a quarter as untracked headroom: 2G gives 1024MB and 512MB.
        values.put("queryMaxMemory", heapMb / 2 + "MB");
        values.put("heapHeadroom", heapMb / 4 + "MB");
        values.put("catalogUrl", stack.jdbcUrl(StackConfig.CATALOG_DB));
        values.put("catalogUser", StackConfig.DB_USER);
        values.put("catalogPassword", StackConfig.DB_PASSWORD);
        values.put("warehouseLocation", warehouseLocation());
        return values;
    }

    /**
     * Where new tables go. Spelled file:///… (MARGINAL_WAREHOUSE, as the Flink jobs spell it) rather
     * than Trino's own local:///…, so that tables Trino creates can also be read and written by
     * Iceberg Java, whose HadoopFileIO knows file: but not local:.
     */
    String warehouseLocation() {
        return stack.warehouseUri();
    }

    /** Writes every rendered template under {@link #etcDir()}. */
    void write() {
        Map<String, String> values = values();
        try {
            Files.createDirectories(etcDir.resolve("catalog"));
            Files.createDirectories(dataDir);
            Files.createDirectories(stack.warehouseDir());
            for (String template : TEMPLATES) {
                Files.writeString(etcDir.resolve(template), render(template, template(template), values));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Trino's configuration to " + etcDir, e);
        }
    }

    /** The JVM flags of jvm.config: one a line, comments and blank lines dropped. */
    List<String> jvmFlags() {
        return render("jvm.config", template("jvm.config"), values()).lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    /** node.properties as -D flags, as Trino's own launcher passes them. */
    List<String> nodeSystemProperties() {
        return render("node.properties", template("node.properties"), values()).lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> "-D" + line)
                .toList();
    }

    static String render(String name, String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("trino/" + name + " refers to unknown ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String template(String name) {
        try (InputStream in = TrinoConfig.class.getResourceAsStream("/trino/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Trino template trino/" + name + " is not on the classpath (marginal-warehouse jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 2G → 2048, 1536m → 1536; the -Xmx forms a person would write in MARGINAL_TRINO_HEAP. */
    static long heapMegabytes(String heap) {
        Matcher m = Pattern.compile("(\\d+)([gGmM])").matcher(heap.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("MARGINAL_TRINO_HEAP must look like 2G or 1536M, not '" + heap + "'");
        }
        long amount = Long.parseLong(m.group(1));
        long mb = m.group(2).toLowerCase(Locale.ROOT).equals("g") ? amount * 1024 : amount;
        if (mb < 1024) {
            throw new IllegalArgumentException("MARGINAL_TRINO_HEAP must be at least 1G; Trino does not start with " + heap);
        }
        return mb;
    }
}
