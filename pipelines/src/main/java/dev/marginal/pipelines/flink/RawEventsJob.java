package dev.marginal.pipelines.flink;

import dev.marginal.pipelines.KafkaTopics;
import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.flink.billing.BillingPipeline;
import dev.marginal.pipelines.flink.billing.CdcChangesTable;
import dev.marginal.pipelines.flink.billing.CustomerDayDeltasTable;
import dev.marginal.pipelines.flink.billing.RevenueFactsTable;
import dev.marginal.pipelines.flink.billing.SubscriptionLinesTable;
import dev.marginal.pipelines.flink.billing.UsageCostDeltasTable;
import dev.marginal.pipelines.flink.accrual.UsageAccrualsTable;
import dev.marginal.pipelines.health.FlinkCheckpointMetrics;
import dev.marginal.pipelines.health.HealthServer;
import dev.marginal.pipelines.health.KafkaBacklog;
import dev.marginal.pipelines.health.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar marginal-pipelines.jar raw-events}: Kafka {@code marginal.cdc.events} → Iceberg
 * {@code marginal.raw.events}, {@code analytics.usage_costs} and {@code analytics.model_cost_deltas};
 * the billing tables' topics → {@code raw.cdc_changes}, {@code analytics.revenue_facts} and
 * {@code analytics.usage_cost_deltas} ({@link BillingPipeline}), exactly once, in a local Flink mini-cluster. {@link #main} owns the
 * environment and the local-process concerns (restore point, health, freshness);
 * {@link #buildPipeline} is the job itself, unchanged when the jar is submitted to a cluster.
 *
 * <p>Memory: heap ~300–500 MB under load plus ~100 MB direct/metaspace and 64 MB of managed
 * memory for RocksDB; the stack should start it with {@code -Xmx640m -XX:MaxDirectMemorySize=192m}
 * (≤ 1 GiB RSS). Under the stack's {@code -Xmx1g}, after ~1 M events: 1,147 MiB RSS, of which
 * 658 MiB committed heap (docs/BENCHMARKS.md, sustained rate).
 */
public final class RawEventsJob {

    public static final String JOB = "raw-events";
    public static final String SOURCE_TOPIC = "marginal.cdc.events";
    public static final String DLQ_TOPIC = "marginal.dlq." + JOB;
    public static final String CONSUMER_GROUP = "marginal-raw-events";

    private static final Logger LOG = LoggerFactory.getLogger(RawEventsJob.class);
    private static final String FLINK_PROPERTY_PREFIX = "flink.";

    private RawEventsJob() {
    }

    public static int run(PipelinesConfig config) throws Exception {
        long started = System.nanoTime();
        Path checkpoints = config.flinkDir().resolve("checkpoints");
        Files.createDirectories(checkpoints);
        Optional<CheckpointRecovery.Completed> restore = CheckpointRecovery.newest(checkpoints);
        restore.ifPresentOrElse(c -> {
            LOG.info("Resuming from checkpoint {}", c.directory());
            CheckpointRecovery.deleteOtherRuns(checkpoints, c);
        }, () -> LOG.info("No completed checkpoint under {}: starting from the earliest Kafka offsets", checkpoints));

        CatalogLoader catalogLoader = RawEventsTable.catalogLoader(config);
        Table table = prepare(config, catalogLoader);

        Optional<CheckpointRecovery.Completed> resumeFrom = HeapStateMigration.migrateIfNeeded(
                flinkConfiguration(checkpoints, restore.map(CheckpointRecovery.Completed::directory)),
                config, catalogLoader, checkpoints, restore);
        if (resumeFrom.isPresent() && !resumeFrom.equals(restore)) {
            CheckpointRecovery.deleteOtherRuns(checkpoints, resumeFrom.get());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                flinkConfiguration(checkpoints, resumeFrom.map(CheckpointRecovery.Completed::directory)));
        buildPipeline(env, config, catalogLoader);

        RawEventsMetrics.register();
        KafkaBacklog.register(Metrics.global(), config.kafkaBootstrap(), CONSUMER_GROUP, List.of(SOURCE_TOPIC), DLQ_TOPIC);
        JobClient job = env.executeAsync("marginal " + JOB);
        LOG.info("Job {} submitted {} ms after start", job.getJobID(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "iceberg-commit-poller");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(() -> observeCommits(table, job.getJobID().toString()), 1, 1, TimeUnit.SECONDS);

        try (HealthServer health = HealthServer.start(config.flinkHealthPort(), () -> isRunning(job), Metrics.global())) {
            LOG.info("raw-events health on :{}", health.port());
            job.getJobExecutionResult().get();
            return 0;
        } catch (Exception e) {
            LOG.error("Job {} failed", job.getJobID(), e);
            return 1;
        } finally {
            poller.shutdownNow();
        }
    }

    /**
     * The job: Kafka → parse (bad → DLQ) → de-duplicate by id → three Iceberg tables, each
     * committed per checkpoint: {@code raw.events}, {@code analytics.usage_costs} (the cost of
     * each event) and {@code analytics.model_cost_deltas} (per-checkpoint sums of those costs by
     * model and day). One job rather than a second one reading the same topic: one checkpoint,
     * one de-duplication state, one process and its memory; every table sees the same events.
     */
    public static void buildPipeline(StreamExecutionEnvironment env, PipelinesConfig config, CatalogLoader catalogLoader) {
        KafkaSource<CdcMessage> source = KafkaSource.<CdcMessage>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopics(SOURCE_TOPIC)
                .setGroupId(CONSUMER_GROUP)
                .setClientIdPrefix(CONSUMER_GROUP)
                // Only consulted without a checkpoint: then the group's offsets, else the beginning.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new CdcMessageDeserializer())
                .build();

        SingleOutputStreamOperator<RowData> parsed = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "kafka " + SOURCE_TOPIC)
                .uid("cdc-events-source")
                .process(new ParseCdcMessage(), EventFacts.TYPE)
                .uid("parse-debezium")
                .name("parse debezium json");

        SingleOutputStreamOperator<RowData> rawEvents = parsed
                .keyBy(EventFacts::idOf, Types.STRING)
                .process(new DeduplicateById(DeduplicateById.DEFAULT_RETENTION), EventFacts.TYPE)
                .uid("dedup-by-id")
                .name("de-duplicate by id")
                .process(new SplitFacts(), EventFacts.RAW_EVENT_TYPE)
                .uid("split-facts")
                .name("split raw events and usage costs");
        DataStream<RowData> usageCosts = rawEvents.getSideOutput(SplitFacts.USAGE_COSTS);
        BillingPipeline.Outputs billing = BillingPipeline.build(env, config, usageCosts, rawEvents);

        parsed.getSideOutput(ParseCdcMessage.DEAD_LETTERS)
                .union(billing.deadLetters())
                .sinkTo(KafkaSink.<DeadLetter>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setRecordSerializer(new DeadLetterSerializer(JOB, DLQ_TOPIC))
                        // Duplicated dead letters are harmless; transactions here would not be.
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build())
                .uid("dlq-sink")
                .name("kafka " + DLQ_TOPIC);

        DataStream<RowData> freshRawEvents = rawEvents
                .process(new FreshnessProbe(), EventFacts.RAW_EVENT_TYPE)
                .uid("freshness-probe")
                .name("freshness probe");
        append(freshRawEvents, catalogLoader, RawEventsTable.IDENTIFIER, "iceberg-raw-events");
        append(usageCosts, catalogLoader, UsageCostsTable.IDENTIFIER, "iceberg-usage-costs");

        DataStream<RowData> modelCostDeltas = usageCosts
                .transform("model cost deltas per checkpoint", InternalTypeInfo.of(FlinkSchemaUtil.convert(ModelCostDeltasTable.SCHEMA)),
                        new ModelCostDeltas())
                .uid("model-cost-deltas");
        append(modelCostDeltas, catalogLoader, ModelCostDeltasTable.IDENTIFIER, "iceberg-model-cost-deltas");

        append(billing.changes(), catalogLoader, CdcChangesTable.IDENTIFIER, "iceberg-cdc-changes");
        append(billing.revenueFacts(), catalogLoader, RevenueFactsTable.IDENTIFIER, "iceberg-revenue-facts");
        append(billing.usageCostDeltas(), catalogLoader, UsageCostDeltasTable.IDENTIFIER, "iceberg-usage-cost-deltas");
        append(billing.customerDayDeltas(), catalogLoader, CustomerDayDeltasTable.IDENTIFIER, "iceberg-customer-day-deltas");
        append(billing.subscriptionLines(), catalogLoader, SubscriptionLinesTable.IDENTIFIER, "iceberg-subscription-lines");
        append(billing.usageAccruals(), catalogLoader, UsageAccrualsTable.IDENTIFIER, "iceberg-usage-accruals");
    }

    private static void append(DataStream<RowData> rows, CatalogLoader catalogLoader, TableIdentifier table, String uidPrefix) {
        FlinkSink.forRowData(rows)
                .tableLoader(TableLoader.fromCatalog(catalogLoader, table))
                .uidPrefix(uidPrefix)
                .distributionMode(DistributionMode.NONE)
                .append();
    }

    /**
     * What must exist before the job is built, wherever {@code main} runs: the Kafka topics it reads
     * and writes, and the Iceberg tables (created, or brought to this release's columns), whose
     * schemas the sinks read when the job graph is built. Returns {@code raw.events}.
     */
    static Table prepare(PipelinesConfig config, CatalogLoader catalogLoader) {
        List<String> topics = new java.util.ArrayList<>(List.of(SOURCE_TOPIC, DLQ_TOPIC));
        topics.addAll(BillingPipeline.topics());
        KafkaTopics.ensureTopics(config.kafkaBootstrap(), topics);
        return ensureTables(catalogLoader.loadCatalog());
    }

    /** Creates every table the job writes that is missing; returns {@code raw.events}, whose commits freshness follows. */
    static Table ensureTables(Catalog catalog) {
        IcebergTables.ensureExists(catalog, UsageCostsTable.IDENTIFIER, UsageCostsTable.SCHEMA, UsageCostsTable.SPEC);
        IcebergTables.ensureExists(catalog, ModelCostDeltasTable.IDENTIFIER, ModelCostDeltasTable.SCHEMA, ModelCostDeltasTable.SPEC);
        BillingPipeline.ensureTables(catalog);
        return RawEventsTable.ensureExists(catalog);
    }

    /**
     * Local defaults: checkpoint every 2 s, exactly once, retained on cancellation, 3 kept; keyed
     * state in RocksDB, checkpointed incrementally; a small mini-cluster; no fixed REST port. Any
     * {@code -Dflink.<key>=<value>} JVM property overrides (e.g.
     * {@code -Dflink.execution.checkpointing.interval=5s}).
     */
    static Configuration flinkConfiguration(Path checkpoints, Optional<Path> restoreFrom) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(2));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(500));
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(2));
        conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 5);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
        // The de-duplication state holds every id of its retention window (7 days). On the heap
        // backend each checkpoint wrote all of it: at 350,000 ids, 35 MB every 2 s took most of a
        // core even with no traffic, and the job fell behind at 1,000 events/s. RocksDB's
        // incremental checkpoints write only what changed since the previous one.
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // Working files only; a restart restores from the checkpoint, never from these.
        conf.set(RocksDBOptions.LOCAL_DIRECTORIES, checkpoints.resolveSibling("rocksdb").toString());
        conf.setString(FlinkCheckpointMetrics.REPORTER_FACTORY_KEY, FlinkCheckpointMetrics.Factory.class.getName());
        restoreFrom.ifPresent(path -> {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path.toUri().toString());
            // The new run's first checkpoint is a full one, so no later checkpoint refers to files
            // of the run restored from: CheckpointRecovery.deleteOtherRuns may delete that run at
            // the next start. (CLAIM would let incremental checkpoints share its files.)
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.NO_CLAIM);
        });

        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(30));

        conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        // RocksDB's block cache and write buffers, shared by every keyed operator of the slot.
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("32m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("32m"));
        // No web UI is bundled; the REST endpoint binds loopback on a free port, so two jobs never collide.
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");

        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith(FLINK_PROPERTY_PREFIX)) {
                conf.setString(key.substring(FLINK_PROPERTY_PREFIX.length()), v.toString());
            }
        });
        return conf;
    }

    private static boolean isRunning(JobClient job) {
        try {
            return job.getJobStatus().get(2, TimeUnit.SECONDS) == JobStatus.RUNNING;
        } catch (Exception e) {
            return false;
        }
    }

    /** Reads the checkpoint this run last committed from the table's newest snapshot summary. */
    private static void observeCommits(Table table, String jobId) {
        try {
            table.refresh();
            for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
                Map<String, String> summary = s.summary();
                if (jobId.equals(summary.get("flink.job-id"))) {
                    String id = summary.get("flink.max-committed-checkpoint-id");
                    if (id != null) {
                        RawEventsMetrics.checkpointCommitted(Long.parseLong(id));
                    }
                    return;
                }
                if (s.timestampMillis() < System.currentTimeMillis() - Duration.ofMinutes(10).toMillis()) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not read the table's commits", e);
        }
    }
}
