package dev.marginal.pipelines.dayclose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.marginal.pipelines.dayclose.Checkpoints.append;
import static dev.marginal.pipelines.dayclose.Checkpoints.files;
import static dev.marginal.pipelines.dayclose.Checkpoints.write;

import dev.marginal.pipelines.flink.IcebergTables;
import dev.marginal.pipelines.flink.ModelCostDeltasTable;
import dev.marginal.pipelines.flink.billing.UsageCostDeltasTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Day close on a real Iceberg table (Iceberg's file-system catalog in a temporary directory; the
 * stack's JDBC catalog differs only in where the table pointer lives): past days become one sorted
 * row per key with the same sums, today and other tables' rows are left alone, a late delta reopens
 * its day, and a day whose files changed under the close is not half-rewritten.
 */
class DayCloseTest {

    static final LocalDate AUG_30 = LocalDate.parse("2026-08-30");
    static final LocalDate AUG_31 = LocalDate.parse("2026-08-31");
    static final LocalDate SEP_1 = LocalDate.parse("2026-09-01");
    static final Clock SEP_1_NOON = Clock.fixed(Instant.parse("2026-09-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path warehouse;
    HadoopCatalog catalog;
    Table usage;

    @BeforeEach
    void createTable() {
        catalog = new HadoopCatalog(new Configuration(), warehouse.toUri().toString());
        usage = catalog.buildTable(UsageCostDeltasTable.IDENTIFIER, UsageCostDeltasTable.SCHEMA)
                .withPartitionSpec(UsageCostDeltasTable.SPEC).withProperties(IcebergTables.PROPERTIES).create();
    }

    @Test
    void pastDaysBecomeOneSortedRowPerKeyWithTheSameSums() throws IOException {
        // Three checkpoints' deltas, each its own commit, in no particular organisation order.
        append(usage, delta("org-b", "cus-1", "chat", AUG_30, "1.000000000001", 2), delta("org-a", "cus-9", "chat", AUG_30, "0.5", 1),
                delta("org-a", null, "embed", AUG_31, null, 4));
        append(usage, delta("org-b", "cus-1", "chat", AUG_30, "2.25", 3), delta("org-a", null, "embed", AUG_31, "0.75", 1),
                delta("org-a", "cus-9", "chat", SEP_1, "9", 9));
        append(usage, delta("org-a", "cus-9", "chat", AUG_30, "0.000000000001", 1), delta("org-a", "cus-9", "chat", SEP_1, "1", 1),
                delta("org-c", "cus-2", "chat", AUG_31, null, 5));
        Map<List<Object>, List<Object>> sumsBefore = sums(usage);
        List<String> todaysFiles = fileNames(usage, SEP_1);

        DayClose.Round round = new DayClose(catalog, SEP_1_NOON).round();

        assertThat(round.failures()).isEmpty();
        assertThat(round.closed()).hasSize(2);
        assertThat(sums(usage)).isEqualTo(sumsBefore);
        assertThat(rows(usage, AUG_30)).containsExactly(
                List.of("org-a", "cus-9", "chat", new BigDecimal("0.500000000001"), 2L),
                List.of("org-b", "cus-1", "chat", new BigDecimal("3.250000000001"), 5L));
        // A sum over nulls and values keeps the values; over nulls only it stays null, as SQL's sum.
        assertThat(rows(usage, AUG_31)).containsExactly(
                Arrays.asList("org-a", null, "embed", new BigDecimal("0.750000000000"), 5L),
                Arrays.asList("org-c", "cus-2", "chat", null, 5L));
        assertThat(fileNames(usage, AUG_30)).singleElement().asString().contains(DayCloser.FILE_MARK);
        assertThat(fileNames(usage, AUG_31)).singleElement().asString().contains(DayCloser.FILE_MARK);
        assertThat(fileNames(usage, SEP_1)).isEqualTo(todaysFiles);
        assertThat(new DayCloser(usage, ClosedLayout.USAGE_COST_DELTAS).daysToClose(LocalDate.parse("2026-09-01"))).isEmpty();
        assertThat(new DayClose(catalog, SEP_1_NOON).round().closed()).isEmpty();
    }

    @Test
    void aClosedDaysFilesHoldWholeOrganisationsSoAQueryForOnePlansOnlyItsFiles() throws IOException {
        // org-a fills a file (ORGANISATION_FILE_ROWS keys); org-b and org-c share the next one.
        List<Record> day = new ArrayList<>();
        for (int customer = 0; customer < DayCloser.ORGANISATION_FILE_ROWS; customer++) {
            day.add(delta("org-a", "cus-" + customer, "chat", AUG_31, "0.01", 1));
        }
        for (String org : List.of("org-c", "org-b")) {
            for (int customer = 0; customer < 10; customer++) {
                day.add(delta(org, "cus-" + customer, "chat", AUG_31, "0.01", 1));
            }
        }
        append(usage, day.toArray(Record[]::new));

        new DayClose(catalog, SEP_1_NOON).round();

        assertThat(files(usage, AUG_31)).extracting(DataFile::recordCount)
                .containsExactlyInAnyOrder(DayCloser.ORGANISATION_FILE_ROWS, 20L);
        for (Map.Entry<String, Long> org : Map.of("org-a", DayCloser.ORGANISATION_FILE_ROWS, "org-b", 20L, "org-c", 20L).entrySet()) {
            List<DataFile> planned = new ArrayList<>();
            try (CloseableIterable<FileScanTask> tasks = usage.newScan()
                    .filter(Expressions.and(Expressions.equal("day", AUG_31.toString()), Expressions.equal("organization_id", org.getKey())))
                    .planFiles()) {
                tasks.forEach(t -> planned.add(t.file()));
            }
            assertThat(planned).as(org.getKey()).singleElement().extracting(DataFile::recordCount).isEqualTo(org.getValue());
        }
    }

    @Test
    void aLateDeltaReopensItsDayUntilTheNextClose() throws IOException {
        append(usage, delta("org-a", "cus-9", "chat", AUG_31, "1", 1), delta("org-a", "cus-9", "chat", AUG_31, "2", 1));
        new DayClose(catalog, SEP_1_NOON).round();
        append(usage, delta("org-a", "cus-9", "chat", AUG_31, "4", 1));

        DayCloser closer = new DayCloser(usage, ClosedLayout.USAGE_COST_DELTAS);
        assertThat(closer.daysToClose(SEP_1)).containsExactly(AUG_31);
        assertThat(fileNames(usage, AUG_31)).hasSize(2);
        new DayClose(catalog, SEP_1_NOON).round();

        assertThat(rows(usage, AUG_31)).containsExactly(List.of("org-a", "cus-9", "chat", new BigDecimal("7.000000000000"), 3L));
        assertThat(fileNames(usage, AUG_31)).hasSize(1);
    }

    @Test
    void aCloseThatLosesToAnotherRewriteChangesNothing() throws IOException {
        append(usage, delta("org-a", "cus-9", "chat", AUG_31, "1", 1));
        append(usage, delta("org-a", "cus-9", "chat", AUG_31, "2", 1));
        DayCloser closer = new DayCloser(usage, ClosedLayout.USAGE_COST_DELTAS);
        // Another writer (compaction) replaces one of the day's files between the close's read and commit.
        Table racing = catalog.loadTable(UsageCostDeltasTable.IDENTIFIER);
        DataFile first = files(racing, AUG_31).get(0);
        DataFile copy = write(racing, List.of(delta("org-a", "cus-9", "chat", AUG_31, "1", 1)));
        DayCloser.Prepared prepared = closer.prepare(AUG_31).orElseThrow();
        racing.newRewrite().deleteFile(first).addFile(copy).commit();

        assertThatThrownBy(prepared::commit).isInstanceOf(ValidationException.class);
        usage.refresh();
        assertThat(fileNames(usage, AUG_31)).hasSize(2).noneMatch(name -> name.contains(DayCloser.FILE_MARK));
        assertThat(rows(usage, AUG_31)).hasSize(2);
    }

    @Test
    void modelCostDeltasMergeEveryCount() throws IOException {
        Table models = catalog.buildTable(ModelCostDeltasTable.IDENTIFIER, ModelCostDeltasTable.SCHEMA)
                .withPartitionSpec(ModelCostDeltasTable.SPEC).withProperties(IcebergTables.PROPERTIES).create();
        append(models, model("org-a", "openai", "gpt-4o", 100, 10, 20, "0.001", 1), model("org-a", "openai", "gpt-4o", 50, 0, 5, "0.002", 2));

        new DayClose(catalog, SEP_1_NOON).round();

        assertThat(rows(models, AUG_31)).containsExactly(
                List.of("org-a", "openai", "gpt-4o", 150L, 10L, 25L, new BigDecimal("0.003000000000"), 3L));
    }

    // --- helpers --------------------------------------------------------------------------------

    static Record delta(String org, String customer, String feature, LocalDate day, String cost, long events) {
        GenericRecord r = GenericRecord.create(UsageCostDeltasTable.SCHEMA);
        r.set(0, org);
        r.set(1, customer);
        r.set(2, customer == null ? "ext-" + org : null);
        r.set(3, feature);
        r.set(4, day);
        r.set(5, "usd");
        r.set(6, cost == null ? null : new BigDecimal(cost).setScale(12));
        r.set(7, events);
        return r;
    }

    static Record model(String org, String vendor, String model, long input, long cached, long output, String cost, long events) {
        GenericRecord r = GenericRecord.create(ModelCostDeltasTable.SCHEMA);
        r.set(0, org);
        r.set(1, vendor);
        r.set(2, model);
        r.set(3, AUG_31);
        r.set(4, "usd");
        r.set(5, input);
        r.set(6, cached);
        r.set(7, output);
        r.set(8, new BigDecimal(cost).setScale(12));
        r.set(9, events);
        return r;
    }

    static List<String> fileNames(Table table, LocalDate day) throws IOException {
        return files(table, day).stream().map(f -> Path.of(f.location()).getFileName().toString()).sorted().toList();
    }

    /** The day's rows in file order, without the day column (and, for usage, the external id column). */
    static List<List<Object>> rows(Table table, LocalDate day) throws IOException {
        table.refresh();
        List<List<Object>> rows = new ArrayList<>();
        boolean isUsage = table.schema().findField("feature") != null;
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).where(Expressions.equal("day", day.toString())).build()) {
            for (Record r : read) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < r.size(); i++) {
                    String name = table.schema().columns().get(i).name();
                    if (!name.equals("day") && !name.equals("currency") && !(isUsage && name.equals("external_customer_id"))) {
                        row.add(r.get(i));
                    }
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** (day, organisation, customer, external id, feature) → [cost, events], summed as a view would. */
    static Map<List<Object>, List<Object>> sums(Table table) throws IOException {
        table.refresh();
        Map<List<Object>, List<Object>> sums = new HashMap<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
            for (Record r : read) {
                List<Object> key = Arrays.asList(r.get(4), r.get(0), r.get(1), r.get(2), r.get(3));
                List<Object> sum = sums.computeIfAbsent(key, k -> Arrays.asList(null, 0L));
                sum.set(0, DayRollup.add(sum.get(0), r.get(6)));
                sum.set(1, (Long) sum.get(1) + (Long) r.get(7));
            }
        }
        return sums;
    }
}
