package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/slo: the rules are valid, their alerts are unit-tested, and every series they read is real or declared planned. */
class SloRulesTest {

    static final Path SLO = DeployFiles.deploy().resolve("slo");

    record Rule(String file, String record, String alert, String expr, JsonNode labels, JsonNode annotations) {
    }

    record CatalogueEntry(String metric, String status, String evidence, String note) {
    }

    static List<Path> ruleFiles() {
        return DeployFiles.list(SLO, ".rules.yml");
    }

    static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : DeployFiles.yaml(file).path("groups")) {
                for (JsonNode r : group.path("rules")) {
                    rules.add(new Rule(file.getFileName().toString(), r.path("record").asText(null), r.path("alert").asText(null),
                            r.path("expr").asText(), r.path("labels"), r.path("annotations")));
                }
            }
        }
        return rules;
    }

    static Set<String> recordedNames() {
        Set<String> names = new TreeSet<>();
        rules().stream().filter(r -> r.record() != null).forEach(r -> names.add(r.record()));
        return names;
    }

    static Map<String, CatalogueEntry> catalogue() {
        Map<String, CatalogueEntry> out = new LinkedHashMap<>();
        for (String line : DeployFiles.read(SLO.resolve("metrics.tsv")).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            assertThat(f).as("metrics.tsv line: %s", line).hasSize(4);
            assertThat(out.put(f[0], new CatalogueEntry(f[0], f[1], f[2], f[3]))).as("repeated %s", f[0]).isNull();
        }
        return out;
    }

    @Test
    void promtoolAcceptsEveryRuleFileAndTheScrapeConfiguration() {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        ruleFiles().forEach(f -> args.add(f.getFileName().toString()));
        Promtool.Result rules = Promtool.run(SLO, args.toArray(String[]::new));
        assertThat(rules.exit()).as(rules.output()).isZero();

        Promtool.Result config = Promtool.run(SLO, "check", "config", "prometheus.yml");
        assertThat(config.exit()).as(config.output()).isZero();
        List<String> loaded = new ArrayList<>();
        DeployFiles.yaml(SLO.resolve("prometheus.yml")).path("rule_files").forEach(f -> loaded.add(f.asText()));
        assertThat(loaded).as("prometheus.yml loads every rule file")
                .containsExactlyInAnyOrderElementsOf(ruleFiles().stream().map(f -> f.getFileName().toString()).toList());
    }

    @Test
    void promtoolUnitTestsOfTheAlertsPass() {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        List<Path> tests = DeployFiles.list(SLO.resolve("tests"), ".test.yml");
        tests.forEach(t -> args.add(t.getFileName().toString()));
        Promtool.Result result = Promtool.run(SLO.resolve("tests"), args.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("FAILED");

        // Each test file loads only rule files that exist, and every rule file has a test file.
        Set<String> tested = new TreeSet<>();
        for (Path t : tests) {
            DeployFiles.yaml(t).path("rule_files").forEach(f -> tested.add(Path.of(f.asText()).getFileName().toString()));
        }
        assertThat(tested).containsExactlyInAnyOrderElementsOf(ruleFiles().stream().map(f -> f.getFileName().toString()).toList());
    }

    @Test
    void everyAlertIsShownFiringInAUnitTest() {
        Set<String> firing = new TreeSet<>();
        for (Path t : DeployFiles.list(SLO.resolve("tests"), ".test.yml")) {
            for (JsonNode test : DeployFiles.yaml(t).path("tests")) {
                for (JsonNode a : test.path("alert_rule_test")) {
                    if (!a.path("exp_alerts").isEmpty()) {
                        firing.add(a.path("alertname").asText());
                    }
                }
            }
        }
        List<String> alerts = rules().stream().filter(r -> r.alert() != null).map(Rule::alert).toList();
        assertThat(alerts).isNotEmpty();
        assertThat(firing).as("alerts with a test where they fire").containsAll(alerts);
    }

    @Test
    void everySeriesTheRulesReadIsExportedOrDeclaredPlanned() {
        Set<String> recorded = recordedNames();
        Map<String, CatalogueEntry> catalogue = catalogue();
        Set<String> read = new TreeSet<>();
        for (Rule r : rules()) {
            for (String name : PromQl.seriesNames(r.expr())) {
                if (!recorded.contains(name)) {
                    read.add(name);
                }
            }
        }
        assertThat(catalogue.keySet()).as("deploy/slo/metrics.tsv").containsAll(read);
    }

    @Test
    void theCatalogueIsTrueToTheServicesSources() {
        for (CatalogueEntry e : catalogue().values()) {
            switch (e.status()) {
                case "exported" -> assertThat(DeployFiles.read(DeployFiles.root().resolve(e.evidence())))
                        .as("%s is exported by %s", e.metric(), e.evidence()).contains("\"" + e.metric() + "\"");
                case "micrometer" -> assertThat(DeployFiles.read(DeployFiles.root().resolve(e.evidence())))
                        .as("%s needs the Prometheus export in %s", e.metric(), e.evidence())
                        .contains("management.prometheus.metrics.export.enabled=true")
                        .containsPattern("management.endpoints.web.exposure.include=.*prometheus");
                case "builtin" -> assertThat(e.metric()).isEqualTo("up");
                case "planned" -> assertThat(e.note()).as("a planned series says what it waits for").isNotBlank();
                default -> throw new AssertionError("unknown status " + e.status() + " of " + e.metric());
            }
        }
        // The latency SLIs wait for billing-core's SLO buckets; once the property is there, say so.
        String billingProperties = DeployFiles.read(DeployFiles.root()
                .resolve("billing-core/service/src/main/resources/application.properties"));
        boolean buckets = billingProperties.contains("management.metrics.distribution.slo.http.server.requests")
                || billingProperties.contains("management.metrics.distribution.percentiles-histogram.http.server.requests");
        assertThat(catalogue().get("http_server_requests_seconds_bucket").status())
                .as("status of http_server_requests_seconds_bucket in metrics.tsv")
                .isEqualTo(buckets ? "micrometer" : "planned");
    }

    @Test
    void everyAlertHasASeverityAndARunbookSectionThatExists() {
        Set<String> anchors = new TreeSet<>();
        Matcher heading = Pattern.compile("(?m)^#{2,4} (.+)$")
                .matcher(DeployFiles.read(DeployFiles.root().resolve("docs/operations.md")));
        while (heading.find()) {
            anchors.add(heading.group(1).strip().toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
        }
        for (Rule r : rules()) {
            if (r.alert() == null) {
                continue;
            }
            assertThat(r.labels().path("severity").asText()).as(r.alert()).isIn("page", "ticket");
            String url = r.annotations().path("runbook_url").asText();
            assertThat(url).as(r.alert()).startsWith("docs/operations.md#");
            assertThat(anchors).as("docs/operations.md has a section for %s", r.alert())
                    .contains(url.substring(url.indexOf('#') + 1));
            assertThat(r.annotations().path("summary").asText()).as(r.alert()).isNotBlank();
        }
    }

    @Test
    void promQlReaderFindsSeriesNotFunctionsLabelsOrDurations() {
        assertThat(PromQl.seriesNames("sum by (job) (rate(a_total{le=\"0.5\",x=~\"5..\"}[5m])) / on() group_left() b:c:ratio_rate5m > bool 14.4 * 0.001 or vector(0)"))
                .containsExactlyInAnyOrder("a_total", "b:c:ratio_rate5m");
    }
}
