package dev.marginal.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code demo} command's stream of LLM usage events ({@link dev.marginal.stack.demo.UsageGenerator}),
 * run as a service of its own so that it keeps sending after the CLI exits and {@code down} stops it.
 */
final class DemoGenerator {

    static final String NAME = "demo-generator";

    private DemoGenerator() {}

    static JavaService service(StackConfig config) {
        Path stackJar = config.root().resolve("stack/target/marginal-stack.jar");
        String classpath = stackJar + ":" + config.root().resolve("stack/target/lib") + "/*";
        return new JavaService(config, NAME, stackJar, List.of("-Xmx128m"),
                List.of("-cp", classpath, "dev.marginal.stack.demo.UsageGenerator",
                        config.billingUrl(), config.demoTokenFile().toString(), "20", "10"),
                Map.of(), Optional.empty(), Duration.ofSeconds(10));
    }
}
