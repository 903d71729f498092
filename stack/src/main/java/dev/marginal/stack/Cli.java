package dev.marginal.stack;

import dev.marginal.warehouse.maintenance.TableMaintenance;
import dev.marginal.warehouse.maintenance.TableState;
import java.util.List;

/**
 * The stack commands behind {@code bin/marginal}: {@code up}, {@code demo}, {@code down},
 * {@code status}, {@code token}, {@code reconcile}, {@code close-days}, {@code replay-dlq}, {@code backup}, {@code restore}, {@code report}, {@code analyst}. Exit code 0 on success, 1 when something is down or failed,
 * 2 on a usage error.
 */
public final class Cli {

    private Cli() {}

    public static void main(String[] args) {
        int code;
        try {
            String command = args.length == 0 ? "" : args[0];
            List<String> rest = List.of(args).subList(Math.min(1, args.length), args.length);
            code = switch (command) {
                case "reconcile" -> PipelinesCommand.reconcile(StackConfig.fromEnvironment(), rest);
                case "close-days" -> PipelinesCommand.closeDays(StackConfig.fromEnvironment());
                case "replay-dlq" -> PipelinesCommand.replayDeadLetters(StackConfig.fromEnvironment(), rest);
                case "backup" -> Backup.backup(StackConfig.fromEnvironment(), rest);
                case "restore" -> Backup.restore(StackConfig.fromEnvironment(), rest);
                case "rebuild" -> Rebuild.run(StackConfig.fromEnvironment());
                case "report" -> Report.run(StackConfig.fromEnvironment(), rest);
                case "analyst" -> analyst(rest.toArray(String[]::new), StackConfig.fromEnvironment());
                default -> run(command, StackConfig.fromEnvironment());
            };
        } catch (StackException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            code = 1;
        }
        System.out.flush();
        // Kafka's admin client and HTTP clients leave non-daemon threads; the services run on without us.
        System.exit(code);
    }

    static int run(String command, StackConfig config) {
        Stack stack = new Stack(config);
        switch (command) {
            case "up" -> {
                up(stack);
                System.out.println("ready");
                return 0;
            }
            case "demo" -> {
                up(stack);
                DemoGenerator.service(config).start();
                System.out.println("demo: sending ~20 LLM usage events/s as organisation \"demo\" (log: "
                        + config.logFile(DemoGenerator.NAME) + ")");
                System.out.println("""

                        Look at it:
                          bin/marginal status
                          bin/marginal sql --execute "SELECT vendor, model, sum(events) AS calls, sum(cost) AS cost_usd \\
                            FROM analytics.model_costs GROUP BY 1, 2 ORDER BY 4 DESC"
                          bin/marginal sql            (an interactive Trino shell on catalog marginal)
                          bin/marginal reconcile      (billing-core against the warehouse, to the cent)
                          bin/marginal simulate simulations/examples/price-increase.yaml
                        The stack keeps running; stop it with bin/marginal down.""");
                System.out.println("ready");
                return 0;
            }
            case "down" -> {
                stack.down();
                System.out.println("stopped");
                return 0;
            }
            case "status" -> {
                Progress.quiet(true);
                List<Health> status = stack.status();
                System.out.print(table(status));
                System.out.println();
                // SLIs are information: the exit code stays "is every component up".
                System.out.print(stack.serviceLevels());
                List<TableState> tables = stack.tableStates();
                if (!tables.isEmpty()) {
                    System.out.println();
                    System.out.print(tableStates(tables));
                }
                return status.stream().allMatch(Health::up) ? 0 : 1;
            }
            case "maintain" -> {
                Progress.quiet(true);
                TableMaintenance.Round round = stack.maintainOnce();
                for (TableMaintenance.Outcome outcome : round.outcomes()) {
                    System.out.printf("%-36s %-20s %s%n", outcome.table(), outcome.step().name().toLowerCase(java.util.Locale.ROOT),
                            outcome.failure().map(f -> "FAILED (retried next round): " + f)
                                    .or(() -> outcome.skipped().map(why -> "skipped: " + why)).orElse("ok"));
                }
                System.out.print(tableStates(stack.tableStates()));
                return round.failures().isEmpty() ? 0 : 1;
            }
            case "token" -> {
                return stack.demoToken().map(token -> {
                    System.out.println(token);
                    return 0;
                }).orElseGet(() -> {
                    System.err.println("no demo token yet in " + config.demoTokenFile() + "; run bin/marginal up first");
                    return 1;
                });
            }
            default -> {
                System.err.println("usage: Cli up|demo|down|status|token|maintain|close-days|replay-dlq|backup|restore|reconcile|report|analyst <user> <organization id or slug>");
                return 2;
            }
        }
    }

    /** {@code analyst <user> <organization>}: a Trino login that reads one organisation's rows. */
    static int analyst(String[] args, StackConfig config) {
        if (args.length != 2) {
            System.err.println("usage: bin/marginal analyst <user> <organization id or slug>");
            return 2;
        }
        Progress.quiet(true);
        Stack stack = new Stack(config);
        stack.addAnalyst(args[0], args[1]);
        awaitLogin(config, args[0]);
        System.out.println("analyst " + args[0] + " reads organisation " + args[1] + "'s rows; password in "
                + config.trinoPasswordFile(args[0]) + " (bin/marginal sql --user " + args[0] + ")");
        return 0;
    }

    /** Trino re-reads its password file every few seconds; answer only once the new login works. */
    private static void awaitLogin(StackConfig config, String user) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            // Trino's JDBC driver connects lazily: only a query proves the password is accepted.
            try (java.sql.Connection login = java.sql.DriverManager.getConnection(config.trinoJdbcUrl(), user,
                    java.nio.file.Files.readString(config.trinoPasswordFile(user)).trim());
                 java.sql.Statement statement = login.createStatement()) {
                statement.execute("SELECT 1");
                return;
            } catch (java.sql.SQLException | java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new StackException("analyst " + user + " was created but Trino does not accept the login yet: "
                            + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String tableStates(List<TableState> tables) {
        StringBuilder out = new StringBuilder(String.format("%-36s %10s %10s %s%n", "TABLE", "DATA FILES", "SNAPSHOTS", "OLDEST SNAPSHOT"));
        for (TableState t : tables) {
            out.append(String.format("%-36s %10d %10d %s%n", t.table(), t.dataFiles(), t.snapshots(),
                    t.oldestSnapshotAge().map(TableState::humanAge).orElse("-")));
        }
        return out.toString();
    }

    private static void up(Stack stack) {
        StackConfig c = stack.config();
        long started = System.nanoTime();
        stack.up();
        System.out.println();
        System.out.println(endpoints(c));
        System.out.printf("stack up in %.0f s; logs in %s%n", (System.nanoTime() - started) / 1e9, c.logDir());
    }

    static String endpoints(StackConfig c) {
        return String.join("\n",
                row("postgres", c.jdbcUrl(StackConfig.BILLING_DB) + " (user marginal, password marginal)"),
                row("kafka", c.kafkaBootstrap()),
                row("trino", c.trinoUrl() + " (catalog marginal; user platform, password in "
                        + c.trinoPasswordFile(TrinoSecurity.PLATFORM_USER) + "; bin/marginal sql)"),
                row("billing-core", c.billingUrl()),
                row("cdc", "http://127.0.0.1:" + c.cdcHealthPort() + "/health"),
                row("flink", "http://127.0.0.1:" + c.flinkHealthPort() + "/health"),
                row("dashboard", c.dashboardUrl() + " (log in as an analyst: bin/marginal analyst <user> <organisation>)"),
                row("demo token", c.demoTokenFile() + " (bin/marginal token)"));
    }

    static String table(List<Health> status) {
        StringBuilder out = new StringBuilder(String.format("%-16s %-5s %s%n", "COMPONENT", "STATE", "DETAIL"));
        for (Health h : status) {
            out.append(String.format("%-16s %-5s %s%n", h.component(), h.up() ? "up" : "DOWN", h.detail()));
        }
        return out.toString();
    }

    private static String row(String name, String value) {
        return String.format("%-14s %s", name, value);
    }
}
