package dev.marginal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Killing the pipeline processes, or the Kafka broker, mid-stream and starting them again loses and
 * duplicates nothing: Debezium redelivers from its last flushed offset, Flink restores its newest
 * checkpoint and de-duplicates, and Iceberg's committer never commits a checkpoint twice.
 */
class PipelineSurvivesKillIT {

    private static final int BATCHES = 40;
    private static final int PER_BATCH = 50;

    private final SharedStack stack = SharedStack.get();
    private final BillingApi billing = new BillingApi(stack);
    private final Warehouse warehouse = new Warehouse(stack);

    @Test
    void killingCdcAndFlinkMidStreamLosesAndDuplicatesNothing() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-kill");
        AtomicLong sentBatches = new AtomicLong();
        CompletableFuture<Long> sender = stream(org, "kill", sentBatches);

        awaitBatches(sentBatches, 8);
        kill9("flink");
        awaitBatches(sentBatches, 16);
        kill9("cdc");
        awaitBatches(sentBatches, 24);
        SharedStack.CommandResult up = stack.marginal(Duration.ofMinutes(5), "up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        // and once more while it catches up
        kill9("flink");
        up = stack.marginal(Duration.ofMinutes(5), "up");
        assertThat(up.exitCode()).as(up.output()).isZero();

        assertExactlyOnce(org, sender.get());
    }

    /**
     * The broker dies uncleanly while changes are in flight. Its KRaft metadata and logs live in the
     * stack's home, so {@code up} brings the same topics and offsets back; meanwhile Debezium's
     * producer keeps its unacknowledged batch (idempotent retries, nothing acknowledged to Debezium
     * that Kafka does not hold) and Flink's source and DLQ sink reconnect. Neither process is
     * restarted: they ride the outage out.
     */
    @Test
    void killingTheKafkaBrokerMidStreamLosesAndDuplicatesNothing() throws Exception {
        BillingApi.Organization org = billing.newOrganization("e2e-kill-broker");
        AtomicLong sentBatches = new AtomicLong();
        CompletableFuture<Long> sender = stream(org, "broker", sentBatches);
        long cdc = stack.pid("cdc");
        long flink = stack.pid("flink");

        awaitBatches(sentBatches, 8);
        long broker = stack.pid("kafka");
        kill9("kafka");
        // billing-core keeps accepting events while the broker is down; they wait in the WAL and in the producer
        awaitBatches(sentBatches, 16);
        SharedStack.CommandResult up = stack.marginal(Duration.ofMinutes(5), "up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(stack.pid("kafka")).as("a new broker process").isNotEqualTo(broker);
        assertThat(stack.pid("cdc")).as("the CDC runner rode the outage out").isEqualTo(cdc);
        assertThat(stack.pid("flink")).as("the Flink job rode the outage out").isEqualTo(flink);

        assertExactlyOnce(org, sender.get());
    }

    /** A steady stream of 2,000 events over ~20 s (batches of 50, every half second) on its own thread. */
    private CompletableFuture<Long> stream(BillingApi.Organization org, String idPrefix, AtomicLong sentBatches) {
        return CompletableFuture.supplyAsync(() -> {
            long inserted = 0;
            for (int b = 0; b < BATCHES; b++) {
                StringBuilder body = new StringBuilder("{\"events\":[");
                for (int i = 0; i < PER_BATCH; i++) {
                    body.append(i > 0 ? "," : "")
                            .append("{\"name\":\"chat.completion\",\"external_customer_id\":\"").append(idPrefix).append('-')
                            .append(i % 3).append("\",\"external_id\":\"").append(idPrefix).append('-').append(b).append('-').append(i)
                            .append("\",\"timestamp\":\"").append(Instant.now()).append("\"}");
                }
                try {
                    BillingApi.Response response = billing.ingest(org.token(), body.append("]}").toString());
                    assertThat(response.status()).isEqualTo(200);
                    inserted += response.body().get("inserted").asLong();
                    sentBatches.incrementAndGet();
                    Thread.sleep(500);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return inserted;
        });
    }

    /** Every event exactly once in raw.events, and reconcile finds no difference for the organisation. */
    private void assertExactlyOnce(BillingApi.Organization org, long inserted) throws Exception {
        assertThat(inserted).isEqualTo(BATCHES * PER_BATCH);

        long arrived = warehouse.awaitCount("SELECT count(*) FROM marginal.raw.events WHERE organization_id = ?",
                org.id(), n -> n >= inserted, Duration.ofMinutes(3));
        assertThat(arrived).isEqualTo(inserted);
        Thread.sleep(5_000);
        assertThat(warehouse.count("SELECT count(*) FROM marginal.raw.events WHERE organization_id = ?", org.id()))
                .as("rows after the pipeline settled").isEqualTo(inserted);
        assertThat(warehouse.count("SELECT count(DISTINCT external_id) FROM marginal.raw.events WHERE organization_id = ?", org.id()))
                .isEqualTo(inserted);
        SharedStack.CommandResult reconcile = stack.marginal(Duration.ofMinutes(2), "reconcile", "--org", org.id(), "--settle", "60");
        assertThat(reconcile.exitCode()).as(reconcile.output()).isZero();
        SharedStack.CommandResult status = stack.marginal(Duration.ofMinutes(1), "status");
        assertThat(status.exitCode()).as(status.output()).isZero();
    }

    private void kill9(String component) throws Exception {
        long pid = stack.pid(component);
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    }

    private static void awaitBatches(AtomicLong sent, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (sent.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(sent.get()).isGreaterThanOrEqualTo(atLeast);
    }
}
