package dev.marginal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JobManager's REST API (the one Flink's web UI and {@code flink list/cancel} use), reduced to
 * what the cluster test asks: which TaskManagers are registered, which jobs run where, how many
 * checkpoints completed, and cancel.
 */
final class FlinkRest {

    record Job(String id, String name, String state) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI base;

    FlinkRest(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** True once the REST endpoint answers at all. */
    boolean answers() {
        try {
            get("/overview");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    Set<String> taskManagerIds() {
        return texts(get("/taskmanagers").path("taskmanagers"), "id");
    }

    List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            jobs.add(new Job(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText()));
        }
        return jobs;
    }

    Optional<Job> job(String id) {
        return jobs().stream().filter(j -> j.id().equals(id)).findFirst();
    }

    long completedCheckpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** The checkpoint the job last restored from after a failure, if it has restored at all. */
    OptionalLong restoredCheckpoint(String jobId) {
        JsonNode restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        return restored.hasNonNull("id") ? OptionalLong.of(restored.path("id").asLong()) : OptionalLong.empty();
    }

    /**
     * The TaskManagers that run the job's subtasks, once every subtask is RUNNING; empty while any
     * is still being scheduled, deployed or initialised.
     */
    Set<String> taskManagersRunning(String jobId) {
        Set<String> ids = new TreeSet<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            for (JsonNode subtask : get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText()).path("subtasks")) {
                if (!"RUNNING".equals(subtask.path("status").asText())) {
                    return Set.of();
                }
                ids.add(subtask.path("taskmanager-id").asText());
            }
        }
        return ids;
    }

    void cancel(String jobId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("cancel " + jobId + ": " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * Stop-with-savepoint, as {@code flink stop} and the operator's savepoint upgrade do: a
     * savepoint under {@code targetDirectory}, then the job FINISHED. Returns the trigger id.
     */
    String stopWithSavepoint(String jobId, String targetDirectory) {
        String body = DeployFiles.JSON.createObjectNode().put("targetDirectory", targetDirectory).put("drain", false).toString();
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "/stop"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("stop " + jobId + ": " + response.statusCode() + " " + response.body());
        }
        try {
            return DeployFiles.JSON.readTree(response.body()).path("request-id").asText();
        } catch (IOException e) {
            throw new IllegalStateException("stop " + jobId + " answered no JSON: " + response.body(), e);
        }
    }

    /** The savepoint's location once the trigger completed; empty while in progress; fails with its cause. */
    Optional<String> savepointLocation(String jobId, String triggerId) {
        JsonNode status = get("/jobs/" + jobId + "/savepoints/" + triggerId);
        if (!"COMPLETED".equals(status.path("status").path("id").asText())) {
            return Optional.empty();
        }
        JsonNode operation = status.path("operation");
        if (operation.hasNonNull("failure-cause")) {
            throw new IllegalStateException("savepoint of " + jobId + " failed: " + operation.path("failure-cause"));
        }
        return Optional.of(operation.path("location").asText());
    }

    /** Whether the job's latest restore was from a savepoint (rather than one of its own checkpoints). */
    boolean restoredFromSavepoint(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored").path("is_savepoint").asBoolean(false);
    }

    private JsonNode get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path)).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        try {
            return DeployFiles.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " answered no JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Flink REST at " + base + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> texts(JsonNode array, String field) {
        Set<String> values = new TreeSet<>();
        array.forEach(node -> values.add(node.path(field).asText()));
        return values;
    }
}
