package dev.marginal.pipelines.flink.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The warehouse's SQL declares the tables the billing half of the job writes; they must be the same tables. */
class RevenueSqlTest {

    static final Path SQL_DIR = Path.of("..", "warehouse", "src", "main", "resources", "sql");

    static Stream<Arguments> tables() {
        return Stream.of(
                Arguments.of("raw_mirrors.sql", "marginal.raw.cdc_changes", CdcChangesTable.SCHEMA, CdcChangesTable.SPEC),
                Arguments.of("revenue.sql", "marginal.analytics.revenue_facts", RevenueFactsTable.SCHEMA, RevenueFactsTable.SPEC),
                Arguments.of("revenue.sql", "marginal.analytics.usage_cost_deltas", UsageCostDeltasTable.SCHEMA,
                        UsageCostDeltasTable.SPEC),
                Arguments.of("revenue.sql", "marginal.analytics.customer_day_deltas", CustomerDayDeltasTable.SCHEMA,
                        CustomerDayDeltasTable.SPEC),
                Arguments.of("mrr.sql", "marginal.analytics.subscription_lines", SubscriptionLinesTable.SCHEMA,
                        SubscriptionLinesTable.SPEC),
                Arguments.of("accrued_usage.sql", "marginal.analytics.usage_accruals",
                        dev.marginal.pipelines.flink.accrual.UsageAccrualsTable.SCHEMA,
                        dev.marginal.pipelines.flink.accrual.UsageAccrualsTable.SPEC));
    }

    static String trinoType(Type type) {
        if (type instanceof Types.DecimalType d) {
            return "decimal(" + d.precision() + "," + d.scale() + ")";
        }
        return switch (type.typeId()) {
            case STRING -> "varchar";
            case LONG -> "bigint";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp(6) with time zone";
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    @ParameterizedTest
    @MethodSource("tables")
    void theTrinoDeclarationIsTheJobsSchema(String file, String table, Schema schema, PartitionSpec spec) throws Exception {
        Matcher create = Pattern.compile("CREATE TABLE IF NOT EXISTS " + Pattern.quote(table) + " \\((.*?)\\n\\)\\s*WITH \\((.*?)\\);",
                Pattern.DOTALL).matcher(Files.readString(SQL_DIR.resolve(file)));
        assertThat(create.find()).as("CREATE TABLE %s in %s", table, file).isTrue();
        List<String> declared = create.group(1).lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> l.replaceAll(",$", "").replaceAll("\\s+", " ")).toList();
        List<String> expected = schema.columns().stream()
                .map(f -> f.name() + " " + trinoType(f.type()) + (f.isRequired() ? " NOT NULL" : "")).toList();
        assertThat(declared).isEqualTo(expected);
        assertThat(create.group(2)).contains("format_version = 2");
        if (spec.isUnpartitioned()) {
            assertThat(create.group(2)).doesNotContain("partitioning");
        } else {
            String partitionColumn = schema.findColumnName(spec.fields().get(0).sourceId());
            assertThat(create.group(2)).contains("partitioning = ARRAY['" + partitionColumn + "']");
        }
    }

    @ParameterizedTest
    @MethodSource("tables")
    void everyTableCarriesTheOrganisationTheAnalystsRowFilterNeeds(String file, String table, Schema schema, PartitionSpec spec) {
        assertThat(schema.findField("organization_id")).as(table).isNotNull();
    }
}
