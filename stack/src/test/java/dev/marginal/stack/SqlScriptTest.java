package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;

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
}
