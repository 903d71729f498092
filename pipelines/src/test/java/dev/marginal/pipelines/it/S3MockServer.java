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
import java.util.concurrent.TimeUnit;

/**
 * S3-compatible storage for tests of the cluster profile: Adobe's S3Mock, its own process from the
 * self-contained exec jar Maven copies to {@code target/s3mock} (as MinIO would be in a cluster),
 * on 127.0.0.1 with its buckets created at start and its objects under {@code home/s3}. S3Mock
 * checks no signatures, so plain HTTP requests put and list objects here; what is under test talks
 * to it through its own S3 client.
 */
public final class S3MockServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int httpPort;
    private final Path log;

    private S3MockServer(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts S3Mock (plain HTTP on {@code httpPort}, TLS on {@code httpsPort}) and waits until it lists every bucket. */
    public static S3MockServer start(Path jar, Path home, int httpPort, int httpsPort, String... buckets) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no S3Mock jar at " + jar + "; the module's build copies it there");
        }
        Path log = home.resolve("logs/s3mock.log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--server.port=" + httpsPort, "--com.adobe.testing.s3mock.http-port=" + httpPort,
                "--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets),
                "--com.adobe.testing.s3mock.store.root=" + home.resolve("s3")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3MockServer server = new S3MockServer(process, httpPort, log);
        try {
            server.awaitBuckets(buckets);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The endpoint an S3 client is configured with ({@code MARGINAL_S3_ENDPOINT}, Flink's {@code s3.endpoint}). */
    public String endpoint() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Uploads a file as {@code bucket/key}. */
    public void put(String bucket, String key, Path file) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + "/" + key))
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT " + bucket + "/" + key + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** The bucket's ListObjectsV2 answer for a prefix (XML with a {@code <Key>} per object). */
    public String list(String bucket, String prefix) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + "?list-type=2&prefix=" + prefix)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitBuckets(String... buckets) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited during start-up; log: " + log);
            }
            try {
                HttpResponse<String> listing = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (listing.statusCode() == 200 && List.of(buckets).stream().allMatch(b -> listing.body().contains("<Name>" + b + "</Name>"))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for S3Mock", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for S3Mock", e);
            }
        }
        throw new IllegalStateException("S3Mock did not list its buckets within 90 s; log: " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
