package dev.marginal.billing;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.marginal.stack.PostgresServer;

/**
 * One real PostgreSQL for the whole test JVM, started by the stack's own code on port 25432 (or
 * {@code -Dmarginal.test.postgres.port}, so two checkouts can test side by side) with its state in
 * {@code target/pg-test}. JUnit closes it, and deletes its data, when the run ends.
 */
public final class TestPostgres implements BeforeAllCallback {

    public static final int PORT = Integer.getInteger("marginal.test.postgres.port", 25432);
    private static final Path HOME = Path.of("target", "pg-test").toAbsolutePath();

    private static PostgresServer server;

    /** Registers the shared server with the root context so JUnit stops it after the last test. */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(TestPostgres.class, key -> (AutoCloseable) TestPostgres::stop, AutoCloseable.class);
        server();
    }

    public static synchronized PostgresServer server() {
        if (server == null) {
            server = PostgresServer.startForTests(HOME, PORT);
        }
        return server;
    }

    public static String jdbcUrl() {
        return server().jdbcUrl("marginal");
    }

    private static synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
