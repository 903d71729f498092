package dev.marginal.billing.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.marginal.billing.BillingApiTest;

/**
 * Runs {@code src/test/js} — tests written against Polar's own TypeScript SDK
 * ({@code @polar-sh/sdk} 1.0.1, API 2026-10) — against this service, started by Spring on a random
 * port over the test PostgreSQL. Needs only {@code node} and {@code npm} on the PATH; the SDK
 * version is pinned by {@code package-lock.json} and installed with {@code npm ci}.
 */
class PolarSdkCompatibilityApiTest extends BillingApiTest {

    private static final Path JS = Path.of("src", "test", "js").toAbsolutePath();

    @Test
    void polarsOwnSdkWorksUnchangedAgainstMarginal() throws Exception {
        Tenant tenant = newTenant();
        Tenant other = newTenant();
        if (!Files.isDirectory(JS.resolve("node_modules/@polar-sh/sdk"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), tenant, other, 300);
        }

        Result result = run(List.of("node", "--test", "--test-reporter=spec"), tenant, other, 300);

        assertThat(result.exitCode()).as("node --test output:%n%s", result.output()).isZero();
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(List<String> command, Tenant tenant, Tenant other, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("polar-sdk", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(JS.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MARGINAL_BASE_URL", "http://127.0.0.1:" + port);
        builder.environment().put("MARGINAL_TOKEN", tenant.token());
        builder.environment().put("MARGINAL_OTHER_TOKEN", other.token());
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(output);
        assertThat(process.exitValue()).as("%s failed:%n%s", command, output).isZero();
        return new Result(process.exitValue(), output);
    }
}
