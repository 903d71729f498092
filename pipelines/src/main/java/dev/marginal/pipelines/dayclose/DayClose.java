package dev.marginal.pipelines.dayclose;

import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.flink.IcebergTables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.catalog.Catalog;

/**
 * The {@code day-close} process ({@code java -jar marginal-pipelines.jar day-close [--once]}): every
 * interval, closes each past UTC day of the tables in {@link ClosedLayout#ALL} that has files the
 * raw-events job appended since the day was last closed (see {@link DayCloser}). A day is past once
 * UTC midnight has gone by; a late event reopens it until the next round.
 *
 * <p>The interval is {@code -Dmarginal.day-close.interval} (ISO-8601, default PT5M). {@code --once}
 * runs one round and exits 0, or 1 if a day could not be closed. A failed day (a commit that lost to
 * compaction, say) is logged and tried again next round; it never stops the others.
 */
public final class DayClose {

    /** One round's outcome: the days closed and the failures, per table. */
    public record Round(List<String> closed, List<String> failures) {
    }

    private final Catalog catalog;
    private final Clock clock;

    public DayClose(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    public Round round() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<String> closed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (ClosedLayout layout : ClosedLayout.ALL) {
            if (!catalog.tableExists(layout.table())) {
                continue; // the raw-events job creates its tables when it first starts
            }
            DayCloser closer = new DayCloser(catalog.loadTable(layout.table()), layout);
            List<LocalDate> days;
            try {
                days = closer.daysToClose(today);
            } catch (RuntimeException e) {
                failures.add(layout.table() + ": " + e);
                continue;
            }
            for (LocalDate day : days) {
                try {
                    Optional<DayCloser.Closed> done = closer.close(day);
                    done.ifPresent(c -> closed.add(String.format("%s %s: %d files, %d rows -> %d files, %d rows",
                            layout.table(), c.day(), c.filesBefore(), c.rowsBefore(), c.filesAfter(), c.rowsAfter())));
                } catch (RuntimeException e) {
                    failures.add(layout.table() + " " + day + ": " + e);
                }
            }
        }
        return new Round(closed, failures);
    }

    public static int run(PipelinesConfig config, List<String> args) throws InterruptedException {
        Catalog catalog = IcebergTables.catalogLoader(config).loadCatalog();
        DayClose dayClose = new DayClose(catalog, Clock.systemUTC());
        Duration interval = Duration.parse(System.getProperty("marginal.day-close.interval", "PT5M"));
        if (args.contains("--once")) {
            return runRound(dayClose) ? 0 : 1;
        }
        log("closing past days every " + interval);
        while (true) {
            runRound(dayClose);
            Thread.sleep(interval.toMillis());
        }
    }

    private static boolean runRound(DayClose dayClose) {
        long started = System.nanoTime();
        Round round = dayClose.round();
        round.closed().forEach(c -> log("closed " + c));
        round.failures().forEach(f -> log("not closed, tried again next round: " + f));
        if (!round.closed().isEmpty() || !round.failures().isEmpty()) {
            log(String.format("round: %d days closed, %d failed, %.1f s", round.closed().size(), round.failures().size(),
                    (System.nanoTime() - started) / 1e9));
        }
        return round.failures().isEmpty();
    }

    private static void log(String message) {
        System.out.println(Instant.now() + " day-close: " + message);
        System.out.flush();
    }
}
