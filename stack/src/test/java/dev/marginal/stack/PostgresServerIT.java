package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerIT {

    @TempDir
    Path home;

    @Test
    void startsWithLogicalWalTheMarginalRoleAndTheIcebergCatalogTablesThenStopsCleanly() throws Exception {
        long pid;
        Path dataDir;
        try (PostgresServer server = PostgresServer.startForTests(home, 25433)) {
            dataDir = server.dataDir();
            pid = Long.parseLong(Files.readString(home.resolve("run/postgres.pid")).trim());
            assertThat(ProcessHandle.of(pid)).isPresent();
            assertThat(server.health().up()).isTrue();
            try (Connection billing = server.connect("marginal");
                 Statement sql = billing.createStatement();
                 ResultSet wal = sql.executeQuery("SHOW wal_level")) {
                wal.next();
                assertThat(wal.getString(1)).isEqualTo("logical");
            }
            try (Connection catalog = server.connect("marginal_catalog");
                 Statement sql = catalog.createStatement();
                 ResultSet tables = sql.executeQuery("SELECT table_name FROM information_schema.tables"
                         + " WHERE table_schema = 'public' ORDER BY 1")) {
                List<String> names = new ArrayList<>();
                while (tables.next()) {
                    names.add(tables.getString(1));
                }
                assertThat(names).containsExactly("iceberg_namespace_properties", "iceberg_tables");
            }
            // a second start of a running server is a no-op
            server.start();
            assertThat(Files.readString(home.resolve("run/postgres.pid")).trim()).isEqualTo(Long.toString(pid));
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Readiness.portFree(25433)).isTrue();
        assertThat(home.resolve("run/postgres.pid")).doesNotExist();
        assertThat(dataDir).doesNotExist();
    }
}
