package dev.marginal.deploy;

import dev.marginal.stack.JavaRuntime;
import dev.marginal.stack.JavaService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A standalone Flink session cluster started the way Flink's distribution starts one
 * ({@code bin/jobmanager.sh start}, {@code bin/taskmanager.sh start}, {@code bin/flink run}): a
 * JobManager JVM running {@code StandaloneSessionClusterEntrypoint}, one JVM per TaskManager running
 * {@code TaskManagerRunner}, and the client JVM running {@code CliFrontend}, each with a
 * {@code config.yaml} in its configuration directory and the memory flags Flink's own
 * {@code BashJavaUtils} derives from it, as the scripts do.
 *
 * <p>The binary tarball ({@code flink-dist}) is not on Maven Central, so its {@code lib/} is
 * assembled from the Maven artifacts it is built from (deploy/pom.xml copies them to
 * {@code target/flink/lib}); nothing else is on these JVMs' classpath. Everything listens on
 * 127.0.0.1, on the ports given.
 */
final class StandaloneFlinkCluster implements AutoCloseable {

    /**
     * Every port the cluster opens. TaskManager n (1, 2, …) uses each {@code taskManager…Base} + n,
     * so a replacement never waits for a dead one's port.
     */
    record Ports(int jobManagerRpc, int rest, int blob, int jobManagerQueryService,
                 int taskManagerRpcBase, int taskManagerDataBase, int taskManagerQueryServiceBase) {
    }

    /** What {@code BashJavaUtils} prints for a process: JVM flags, then {@code -D key=value} dynamic properties. */
    private record MemoryFlags(List<String> jvm, List<String> dynamicProperties) {
    }

    private static final String BASH_JAVA_UTILS_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private final Path lib;
    private final Path home;
    private final Ports ports;
    private final FlinkRest rest;
    private final List<JvmProcess> processes = new ArrayList<>();
    private final Map<String, JvmProcess> taskManagers = new LinkedHashMap<>();

    /** Options on top of {@link #configuration()}: for an application cluster, the job's. */
    private final Map<String, String> extraConfiguration;

    private StandaloneFlinkCluster(Path lib, Path home, Ports ports, Map<String, String> extraConfiguration) {
        this.lib = lib;
        this.home = home;
        this.ports = ports;
        this.rest = new FlinkRest(ports.rest());
        this.extraConfiguration = extraConfiguration;
    }

    /** Writes the configuration, starts the JobManager and one TaskManager, and waits until it is registered. */
    static StandaloneFlinkCluster start(Path lib, Path home, Ports ports) {
        requireFlinkJars(lib);
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(lib, home, ports, Map.of());
        try {
            cluster.writeConfiguration();
            cluster.startJobManager();
            cluster.startTaskManager();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * What an application cluster runs: the job jar's URI (fetched by the JobManager before it starts),
     * its entry class and arguments, and where it restores from.
     */
    record Application(String jarUri, String entryClass, List<String> args, Optional<String> fromSavepoint) {
    }

    /**
     * An application cluster, as Flink's {@code bin/standalone-job.sh start --jars … --job-classname …}
     * and the {@code standalone-job} mode of its Docker image start one: the JobManager JVM runs
     * {@code StandaloneApplicationClusterEntryPoint}, which loads the file system plugins under
     * {@code plugins} ({@code $FLINK_HOME/plugins}, as in Flink's image), fetches the job jar from
     * its URI into {@code user.artifacts.base-dir} through them (an {@code s3://} jar with the S3
     * plugin), runs the entry class's {@code main} itself, with {@code environment} as its
     * environment, and shuts the cluster down when the job ends. {@code jobConfiguration} goes into
     * config.yaml beside {@link #configuration()}'s keys, which win. One TaskManager is started.
     */
    static StandaloneFlinkCluster startApplication(Path lib, Path plugins, Path home, Ports ports, Map<String, String> jobConfiguration,
                                                   Application application, Map<String, String> environment) {
        requireFlinkJars(lib);
        Map<String, String> configuration = new LinkedHashMap<>(jobConfiguration);
        configuration.put("user.artifacts.base-dir", home.resolve("artifacts").toString());
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(lib, home, ports, configuration);
        try {
            cluster.writeConfiguration();
            // The layout of Flink's image: lib/ and plugins/ side by side under FLINK_HOME (no usrlib/:
            // the job jar is fetched).
            Path flinkHome = home.resolve("flink-home");
            Files.createDirectories(flinkHome);
            for (Map.Entry<String, Path> dir : Map.of("lib", lib, "plugins", plugins).entrySet()) {
                if (!Files.exists(flinkHome.resolve(dir.getKey()))) {
                    Files.createSymbolicLink(flinkHome.resolve(dir.getKey()), dir.getValue());
                }
            }
            List<String> args = new ArrayList<>(List.of("--jars", application.jarUri(), "--job-classname", application.entryClass()));
            application.fromSavepoint().ifPresent(path -> args.addAll(List.of("--fromSavepoint", path)));
            args.addAll(application.args());
            Map<String, String> env = new LinkedHashMap<>(environment);
            env.put("FLINK_LIB_DIR", flinkHome.resolve("lib").toString());
            env.put("FLINK_PLUGINS_DIR", flinkHome.resolve("plugins").toString());
            cluster.startJobManager("org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint", args, env);
            cluster.startTaskManager();
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static void requireFlinkJars(Path lib) {
        if (!Files.isDirectory(lib) || lib.toFile().list((dir, name) -> name.startsWith("flink-runtime-")).length == 0) {
            throw new IllegalStateException("no Flink jars in " + lib + "; the deploy module's build copies them there");
        }
    }

    FlinkRest rest() {
        return rest;
    }

    Path conf() {
        return home.resolve("conf");
    }

    /**
     * The cluster's config.yaml: loopback only, fixed ports, a JobManager and TaskManagers sized
     * for a 2-core machine shared with other builds (one slot each, the job's parallelism is 1).
     */
    Map<String, String> configuration() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(ports.jobManagerRpc()));
        c.put("jobmanager.memory.process.size", "1024m");
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.numberOfTaskSlots", "1");
        c.put("taskmanager.memory.process.size", "1280m");
        // The job keeps its state on the heap (hashmap backend); managed memory would sit idle.
        c.put("taskmanager.memory.managed.size", "16m");
        c.put("taskmanager.memory.network.min", "32m");
        c.put("taskmanager.memory.network.max", "32m");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(ports.rest()));
        c.put("blob.server.port", Integer.toString(ports.blob()));
        c.put("metrics.internal.query-service.port", Integer.toString(ports.jobManagerQueryService()));
        // A killed TaskManager is declared lost after 10 s rather than the default 50 s.
        c.put("heartbeat.interval", "2s");
        c.put("heartbeat.timeout", "10s");
        c.put("parallelism.default", "1");
        c.put("io.tmp.dirs", home.resolve("tmp").toString());
        c.put("blob.storage.directory", home.resolve("blobs").toString());
        c.put("web.tmpdir", home.resolve("web").toString());
        return c;
    }

    private void writeConfiguration() {
        try {
            Files.createDirectories(conf());
            for (String dir : List.of("tmp", "blobs", "web", "logs")) {
                Files.createDirectories(home.resolve(dir));
            }
            Map<String, String> all = new LinkedHashMap<>(extraConfiguration);
            all.putAll(configuration());
            Files.writeString(conf().resolve("config.yaml"), all.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(conf().resolve("log4j.properties"), """
                    rootLogger.level = INFO
                    rootLogger.appenderRef.console.ref = Console
                    appender.console.name = Console
                    appender.console.type = CONSOLE
                    appender.console.layout.type = PatternLayout
                    appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-50c{1.} - %m%n
                    logger.kafka.name = org.apache.kafka
                    logger.kafka.level = WARN
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the Flink configuration under " + conf(), e);
        }
    }

    private void startJobManager() {
        startJobManager("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", List.of(), Map.of());
    }

    private void startJobManager(String entryPoint, List<String> args, Map<String, String> environment) {
        MemoryFlags memory = memoryFlags("GET_JM_RESOURCE_PARAMS");
        List<String> dynamic = new ArrayList<>(memory.dynamicProperties());
        dynamic.addAll(args);
        JvmProcess jobManager = launch("jobmanager", memory.jvm(), entryPoint, dynamic, environment);
        Await.until("JobManager REST on :" + ports.rest(), Duration.ofSeconds(90), () -> {
            jobManager.requireAlive();
            return rest.answers();
        });
    }

    /** Starts TaskManager n (1, 2, …), waits until the JobManager has registered it, and returns its resource id. */
    String startTaskManager() {
        int n = taskManagers.size() + 1;
        String id = "taskmanager-" + n;
        MemoryFlags memory = memoryFlags("GET_TM_RESOURCE_PARAMS");
        List<String> dynamic = new ArrayList<>(memory.dynamicProperties());
        dynamic.addAll(List.of(
                "-D", "taskmanager.resource-id=" + id,
                "-D", "taskmanager.rpc.port=" + (ports.taskManagerRpcBase() + n),
                "-D", "taskmanager.data.port=" + (ports.taskManagerDataBase() + n),
                "-D", "metrics.internal.query-service.port=" + (ports.taskManagerQueryServiceBase() + n)));
        JvmProcess taskManager = launch(id, memory.jvm(), "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", dynamic, Map.of());
        taskManagers.put(id, taskManager);
        Await.until(id + " registered with the JobManager", Duration.ofSeconds(90), () -> {
            taskManager.requireAlive();
            return rest.taskManagerIds().contains(id);
        });
        return id;
    }

    JvmProcess jobManager() {
        return processes.stream().filter(p -> p.name().equals("jobmanager")).findFirst().orElseThrow();
    }

    JvmProcess taskManager(String id) {
        return taskManagers.get(id);
    }

    /**
     * {@code flink run --class <entryClass> <jar> <args…>}: the client JVM runs the jar's main
     * method, whose {@code getExecutionEnvironment} is the cluster's; the job graph and the jar go
     * to the JobManager through REST. The client stays attached, as {@code flink run} does.
     */
    JvmProcess run(Path jar, String entryClass, List<String> args, Map<String, String> environment) {
        List<String> cli = new ArrayList<>(List.of("run", "--class", entryClass, jar.toString()));
        cli.addAll(args);
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("FLINK_CONF_DIR", conf().toString());
        env.put("FLINK_LIB_DIR", lib.toString());
        return launch("flink-run", List.of("-Xmx384m"), "org.apache.flink.client.cli.CliFrontend", cli, env);
    }

    private JvmProcess launch(String name, List<String> jvmFlags, String mainClass, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(JavaRuntime.current().toString());
        command.addAll(jvmFlags);
        command.addAll(JavaService.FLINK_OPENS);
        command.add("-Dlog4j.configurationFile=file:" + conf().resolve("log4j.properties"));
        command.addAll(List.of("-cp", lib + "/*", mainClass));
        if (!mainClass.endsWith("CliFrontend")) {
            command.addAll(List.of("--configDir", conf().toString()));
        }
        command.addAll(args);
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.putIfAbsent("FLINK_CONF_DIR", conf().toString());
        JvmProcess process = JvmProcess.start(name, command, environment, home.resolve("logs").resolve(name + ".log"));
        processes.add(process);
        return process;
    }

    /** Runs Flink's BashJavaUtils on the configuration, as bin/config.sh does before starting a process. */
    private MemoryFlags memoryFlags(String command) {
        List<String> java = List.of(JavaRuntime.current().toString(), "-cp", lib + "/*",
                "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", conf().toString());
        try {
            Process process = new ProcessBuilder(java).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + output);
            }
            List<String> results = output.lines().filter(l -> l.startsWith(BASH_JAVA_UTILS_PREFIX))
                    .map(l -> l.substring(BASH_JAVA_UTILS_PREFIX.length()).strip()).toList();
            if (results.size() != 2) {
                throw new IllegalStateException("BashJavaUtils " + command + " printed no JVM flags and properties:\n" + output);
            }
            return new MemoryFlags(words(results.get(0)), words(results.get(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> words(String line) {
        return Arrays.stream(line.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /** Stops the client first, then the TaskManagers, then the JobManager (the reverse of starting). */
    @Override
    public void close() {
        List<JvmProcess> order = new ArrayList<>();
        processes.stream().filter(p -> !p.name().equals("jobmanager") && !taskManagers.containsValue(p)).forEach(order::add);
        order.addAll(taskManagers.values());
        processes.stream().filter(p -> p.name().equals("jobmanager")).forEach(order::add);
        order.forEach(JvmProcess::close);
    }

    /** Every JVM this cluster started, dead or alive. */
    List<JvmProcess> processes() {
        return List.copyOf(processes);
    }
}
