package dev.marginal.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/marginal backup [DIR]} and {@code bin/marginal restore DIR}: what a stack cannot rebuild.
 *
 * <p>A backup holds billing-core's database ({@code pg_dump}, custom format: the source of truth),
 * the home's secrets (the platform token, the invoice signing secret, the demo organisation's token,
 * the Trino users' passwords) and the analysts' grants ({@code access.analysts}, an Iceberg table no
 * rebuild brings back). Everything else is derived: a restore puts those three back into an empty
 * {@code MARGINAL_HOME}, starts the stack, and the CDC runner's first snapshot streams every restored
 * row into a new warehouse; then it grants the analysts again.
 */
final class Backup {

    static final String DUMP = "marginal.dump";
    static final String ANALYSTS = "analysts.tsv";
    static final String SECRETS = "home";

    private Backup() {}

    /** Writes a backup of the running stack into {@code dir} (default {@code $MARGINAL_HOME/backups/<UTC time>}). */
    static int backup(StackConfig config, List<String> args) {
        Path dir = args.isEmpty()
                ? config.home().resolve("backups").resolve(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC).format(Instant.now()))
                : Path.of(args.get(0)).toAbsolutePath();
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw new StackException(dir + " is not empty: a backup goes into a new directory");
        }
        Stack stack = new Stack(config);
        try {
            Files.createDirectories(dir);
            Commands.runOrFail(List.of(PostgresBinaries.locateOrInstall().program("pg_dump").toString(),
                    "--format=custom", "--host=127.0.0.1", "--port=" + config.postgresPort(), "--username=" + StackConfig.DB_USER,
                    "--file=" + dir.resolve(DUMP), StackConfig.BILLING_DB), dir, 3600);
            for (Path secret : secrets(config)) {
                Path copy = dir.resolve(SECRETS).resolve(config.home().relativize(secret));
                Files.createDirectories(copy.getParent());
                Files.copy(secret, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
            List<String> grants = new ArrayList<>();
            try (Connection platform = stack.trino().connect(); Statement sql = platform.createStatement();
                 ResultSet rows = sql.executeQuery("SELECT user_name, organization_id FROM marginal.access.analysts ORDER BY 1, 2")) {
                while (rows.next()) {
                    grants.add(rows.getString(1) + "\t" + rows.getString(2));
                }
            }
            Files.write(dir.resolve(ANALYSTS), grants);
            System.out.printf("backup in %s: billing-core's database (%s, %,d bytes), %d secret files, %d analyst grant(s)%n",
                    dir, DUMP, Files.size(dir.resolve(DUMP)), secrets(config).size(), grants.size());
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new StackException("could not read marginal.access.analysts through Trino (is the stack up?): " + e.getMessage(), e);
        }
    }

    /** Restores a backup into this (empty) home and starts the stack on it. */
    static int restore(StackConfig config, List<String> args) {
        if (args.size() != 1) {
            System.err.println("usage: bin/marginal restore <backup directory>");
            return 2;
        }
        Path dir = Path.of(args.get(0)).toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve(DUMP)) || !Files.isRegularFile(dir.resolve(ANALYSTS))) {
            throw new StackException(dir + " is not a backup (no " + DUMP + " or " + ANALYSTS + ")");
        }
        Stack stack = new Stack(config);
        if (Files.exists(stack.postgres().dataDir().resolve("PG_VERSION"))) {
            throw new StackException("MARGINAL_HOME " + config.home() + " already has a database: restore into an empty home "
                    + "(a new MARGINAL_HOME), so nothing is overwritten");
        }
        try {
            Path secrets = dir.resolve(SECRETS);
            if (Files.isDirectory(secrets)) {
                try (Stream<Path> files = Files.walk(secrets)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        Path target = config.home().resolve(secrets.relativize(file));
                        Files.createDirectories(target.getParent());
                        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            stack.postgres().start();
            Commands.runOrFail(List.of(PostgresBinaries.locateOrInstall().program("pg_restore").toString(),
                    "--exit-on-error", "--no-owner", "--host=127.0.0.1", "--port=" + config.postgresPort(),
                    "--username=" + StackConfig.DB_USER, "--dbname=" + StackConfig.BILLING_DB, dir.resolve(DUMP).toString()), dir, 3600);
            stack.up();
            List<String> grants = Files.readAllLines(dir.resolve(ANALYSTS)).stream().filter(l -> !l.isBlank()).toList();
            for (String grant : grants) {
                String[] userAndOrganization = grant.split("\t");
                stack.addAnalyst(userAndOrganization[0], userAndOrganization[1]);
            }
            System.out.printf("restored %s: billing-core's database and %d analyst grant(s); the warehouse is being rebuilt "
                    + "from it (the CDC runner's first snapshot) — bin/marginal reconcile says when it is complete%n", dir, grants.size());
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The home's files no database holds: tokens, the invoice signing secret, the Trino passwords. */
    private static List<Path> secrets(StackConfig config) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path file : List.of(config.platformTokenFile(), config.invoiceSigningSecretFile(), config.demoTokenFile())) {
            if (Files.isRegularFile(file)) {
                files.add(file);
            }
        }
        Path passwords = config.trinoPasswordFile(TrinoSecurity.PLATFORM_USER).getParent();
        if (Files.isDirectory(passwords)) {
            try (Stream<Path> users = Files.list(passwords)) {
                users.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
