package dev.marginal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Where deploy/ and the rest of the project are, and the readers every test shares. */
final class DeployFiles {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {
    }

    static Path deploy() {
        return Path.of(System.getProperty("marginal.deploy.dir", ".")).toAbsolutePath().normalize();
    }

    static Path root() {
        return Path.of(System.getProperty("marginal.root", "..")).toAbsolutePath().normalize();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a (multi-document) YAML file. */
    static List<JsonNode> yamlDocuments(Path file) {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " should hold one YAML document, holds " + docs.size());
        }
        return docs.get(0);
    }

    /** A profile: KEY=VALUE lines, # comments; a repeated key is an error. */
    static Map<String, String> envFile(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : read(file).split("\n")) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException(file + ":" + n + " is not KEY=VALUE: " + line);
            }
            if (out.put(l.substring(0, eq), l.substring(eq + 1)) != null) {
                throw new IllegalStateException(file + ":" + n + " repeats " + l.substring(0, eq));
            }
        }
        return out;
    }

    /** The parent pom's {@code <name>value</name>} property. */
    static String parentPomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
                .matcher(read(root().resolve("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("no <" + name + "> in the parent pom");
        }
        return m.group(1).strip();
    }
}
