package dev.marginal.pipelines.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** The warehouse's SQL declares model_cost_deltas for Trino; the job writes it. They must be one table. */
class ModelCostsSqlTest {

    static final Path SQL = Path.of("..", "warehouse", "src", "main", "resources", "sql", "model_costs.sql");

    static final Map<Type.TypeID, String> TRINO_TYPES = Map.of(
            Type.TypeID.STRING, "varchar", Type.TypeID.LONG, "bigint", Type.TypeID.DATE, "date");

    static String trinoType(Type type) {
        if (type instanceof Types.DecimalType d) {
            return "decimal(" + d.precision() + "," + d.scale() + ")";
        }
        return TRINO_TYPES.get(type.typeId());
    }

    @Test
    void theTrinoDeclarationOfModelCostDeltasIsTheJobsSchema() throws Exception {
        String sql = Files.readString(SQL);
        Matcher table = Pattern.compile("CREATE TABLE IF NOT EXISTS marginal\\.analytics\\.model_cost_deltas \\((.*?)\\n\\)\\s*WITH \\((.*?)\\);",
                Pattern.DOTALL).matcher(sql);
        assertThat(table.find()).as("CREATE TABLE model_cost_deltas in %s", SQL).isTrue();

        List<String> declared = table.group(1).lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> l.replaceAll(",$", "").replaceAll("\\s+", " ")).toList();
        List<String> expected = ModelCostDeltasTable.SCHEMA.columns().stream()
                .map(f -> f.name() + " " + trinoType(f.type()) + (f.isRequired() ? " NOT NULL" : "")).toList();
        assertThat(declared).isEqualTo(expected);
        assertThat(table.group(2)).contains("partitioning = ARRAY['day']").contains("format_version = 2");
        assertThat(ModelCostDeltasTable.SPEC.fields()).singleElement()
                .satisfies(f -> assertThat(f.transform().isIdentity()).isTrue());
    }

    @Test
    void theViewHasTheColumnsAnalystsRelyOn() throws Exception {
        Matcher view = Pattern.compile("CREATE OR REPLACE VIEW marginal\\.analytics\\.model_costs AS\\s+SELECT(.*?)\\s+FROM marginal\\.analytics\\.model_cost_deltas",
                Pattern.DOTALL).matcher(Files.readString(SQL));
        assertThat(view.find()).isTrue();
        List<String> columns = Pattern.compile(",\\s*\\n").splitAsStream(view.group(1))
                .map(String::strip)
                .map(c -> c.replaceAll("(?s).*\\bAS\\s+(\\w+)$", "$1"))
                .toList();
        assertThat(columns).containsExactly(
                "organization_id", "vendor", "model", "day", "currency", "input_tokens", "output_tokens", "cost", "events");
    }

    @Test
    void theJobRefusesATableWhoseColumnsAreNotTheOnesItWritesByPosition() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.initialize("test", Map.of());
        catalog.createNamespace(Namespace.of("analytics"));
        TableIdentifier id = ModelCostDeltasTable.IDENTIFIER;
        Schema swapped = new Schema(
                Types.NestedField.required(1, "organization_id", Types.StringType.get()),
                Types.NestedField.required(2, "model", Types.StringType.get()),
                Types.NestedField.required(3, "vendor", Types.StringType.get()));
        catalog.createTable(id, swapped, PartitionSpec.unpartitioned());

        assertThatThrownBy(() -> IcebergTables.ensureExists(catalog, id, ModelCostDeltasTable.SCHEMA, ModelCostDeltasTable.SPEC))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exists with columns");
    }

    @Test
    void aTableWithTheSameColumnsIsUsedAndGetsTheJobsProperties() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.initialize("test", Map.of());
        catalog.createNamespace(Namespace.of("analytics"));
        // As Trino creates it from the SQL file: same columns, its own field ids and properties.
        catalog.createTable(ModelCostDeltasTable.IDENTIFIER, new Schema(ModelCostDeltasTable.SCHEMA.columns()),
                PartitionSpec.builderFor(ModelCostDeltasTable.SCHEMA).identity("day").build(), Map.of("write.format.default", "PARQUET"));

        var table = IcebergTables.ensureExists(catalog, ModelCostDeltasTable.IDENTIFIER, ModelCostDeltasTable.SCHEMA, ModelCostDeltasTable.SPEC);

        assertThat(table.properties()).containsEntry("write.parquet.compression-codec", "zstd")
                .containsEntry("write.format.default", "parquet");
    }
}
