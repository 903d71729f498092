package dev.marginal.pipelines.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One runner of the shaded jar as a real process, as the stack starts it. */
final class RunnerProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String command;
    private final Path jar;
    private final Map<String, String> env;
    private final int healthPort;
    private final List<String> jvmOptions;
    private final Path log;
    private Process process;
    private long peakRssKb;

    RunnerProcess(String command, Path jar, Map<String, String> env, int healthPort, List<String> jvmOptions, Path log) {
        this.command = command;
        this.jar = jar;
        this.env = env;
        this.healthPort = healthPort;
        this.jvmOptions = jvmOptions;
        this.log = log;
    }

    /** Starts the process and waits for {@code /health}; returns how long that took. */
    Duration start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "\n===== start " + command + " " + java.time.Instant.now() + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        long t0 = System.nanoTime();
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!healthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(command + " exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(command + " not healthy after 90 s; see " + log);
            }
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** {@code kill -9}: no shutdown hook, no final checkpoint, no offset flush. */
    void kill9() throws InterruptedException {
        sampleRss();
        process.destroyForcibly();
        process.waitFor();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    boolean healthy() {
        try {
            return get("/health").statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    String metrics() throws IOException, InterruptedException {
        return get("/metrics").body();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Resident set size now, in MB, and remembers the peak. */
    long sampleRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    peakRssKb = Math.max(peakRssKb, kb);
                    return kb / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone
        }
        return -1;
    }

    long peakRssMb() {
        return peakRssKb / 1024;
    }
}
