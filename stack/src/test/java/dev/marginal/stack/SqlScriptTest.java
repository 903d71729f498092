package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void commentsAreDroppedAndStatementsSplitAtLineEndingSemicolons() {
        assertThat(SqlScript.statements("""
                -- schemas
                CREATE SCHEMA IF NOT EXISTS marginal.raw;
                CREATE VIEW v AS
                SELECT 'a;b' AS x;
                """)).containsExactly("CREATE SCHEMA IF NOT EXISTS marginal.raw", "CREATE VIEW v AS\nSELECT 'a;b' AS x");
    }

    @Test
    void theWarehouseSchemasAreAllIdempotent() {
        assertThat(SqlScript.fromClasspath("/sql/schemas.sql"))
                .hasSize(4)
                .allMatch(statement -> statement.startsWith("CREATE SCHEMA IF NOT EXISTS marginal."));
    }

    @Test
    void everyWarehouseSqlFileIsAppliedAndEveryListedFileExists() throws IOException {
        Path sqlDir = Path.of("..", "warehouse", "src", "main", "resources", "sql");
        try (Stream<Path> files = Files.list(sqlDir)) {
            assertThat(SqlScript.applyOrder())
                    .startsWith("schemas.sql")
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
                            .filter(name -> name.endsWith(".sql")).toList());
        }
    }

    @Test
    void everyWarehouseStatementIsIdempotent() {
        for (String file : SqlScript.applyOrder()) {
            assertThat(SqlScript.fromClasspath("/sql/" + file)).as(file)
                    .allMatch(s -> s.matches("(?s)(CREATE (SCHEMA|TABLE) IF NOT EXISTS|CREATE OR REPLACE VIEW) .*"));
        }
    }
}
