package dev.marginal.simulations.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrinoConnectionTest {

    @Test
    void likeBinMarginalSqlHttpsAsPlatformWithTheStacksPassword(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("trino/passwords"));
        Files.writeString(home.resolve("trino/passwords/platform"), "s3cret\n");
        TrinoConnection c = TrinoConnection.fromEnvironment(Map.of("MARGINAL_HOME", home.toString(), "MARGINAL_TRINO_PORT", "26088"));
        assertThat(c.url()).isEqualTo("jdbc:trino://127.0.0.1:26088/marginal?SSL=true&SSLTrustStorePath="
                + home.resolve("trino/tls/trino.pem"));
        assertThat(c.user()).isEqualTo("platform");
        assertThat(c.password()).isEqualTo("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void environmentOverrides(@TempDir Path home) {
        TrinoConnection c = TrinoConnection.fromEnvironment(Map.of("MARGINAL_HOME", home.toString(),
                "MARGINAL_TRINO_URL", "jdbc:trino://trino.internal:443/marginal?SSL=true", "MARGINAL_SQL_USER", "finance",
                "TRINO_PASSWORD", "pw"));
        assertThat(c).isEqualTo(new TrinoConnection("jdbc:trino://trino.internal:443/marginal?SSL=true", "finance", "pw"));
    }
}
