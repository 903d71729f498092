package dev.marginal.pipelines.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.stack.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real PostgreSQL (wal_level=logical) that the stack starts; port in the 24xxx range. */
class ReplicationSlotProbeTest {

    private static final int PORT = Integer.getInteger("marginal.test.health.postgres.port", 24472);
    private static PostgresServer postgres;

    @BeforeAll
    static void start() throws Exception {
        Path home = Files.createDirectories(Path.of("target/health-pg").toAbsolutePath());
        postgres = PostgresServer.startForTests(home, PORT);
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static ReplicationSlotProbe probe(String slot) {
        return new ReplicationSlotProbe(postgres.jdbcUrl("marginal"), PostgresServer.USER, PostgresServer.PASSWORD, slot);
    }

    @Test
    void walWrittenSinceTheSlotsRestartPointIsRetainedAndGrowsWhileNobodyConsumes() throws Exception {
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement()) {
            sql.execute("SELECT pg_create_logical_replication_slot('probe_test', 'pgoutput')");
            sql.execute("CREATE TABLE wal_filler (id bigint, payload text)");
            sql.execute("INSERT INTO wal_filler SELECT g, repeat('x', 1000) FROM generate_series(1, 2000) g");

            // 2 000 rows of ~1 kB each are at least 2 MB of WAL that no consumer has confirmed.
            double retained = probe("probe_test").walRetainedBytes();
            assertThat(retained).isGreaterThan(2_000_000);

            sql.execute("INSERT INTO wal_filler SELECT g, repeat('y', 1000) FROM generate_series(1, 2000) g");
            assertThat(probe("probe_test").walRetainedBytes()).isGreaterThan(retained + 2_000_000);
            sql.execute("SELECT pg_drop_replication_slot('probe_test')");
        }
    }

    @Test
    void aSlotThatDoesNotExistIsUnknownNotZero() {
        assertThat(probe("no_such_slot").walRetainedBytes()).isNaN();
    }

    @Test
    void anUnreachableDatabaseIsUnknownNotAnError() {
        ReplicationSlotProbe nowhere = new ReplicationSlotProbe("jdbc:postgresql://127.0.0.1:1/marginal", "u", "p", "s");
        assertThat(nowhere.walRetainedBytes()).isNaN();
    }
}
