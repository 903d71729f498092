package dev.marginal.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;

/**
 * PostgreSQL refuses to run as root, and CI runs as root: there the server runs as the
 * unprivileged {@code postgres} user (setpriv execs in place, so pids stay the server's own).
 * Everyone else runs it as themselves.
 */
final class OsUser {

    static final String SERVICE_USER = "postgres";

    private OsUser() {}

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** {@code command} as run by the service user when we are root, else unchanged. */
    static List<String> asServiceUser(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        return Commands.concat(List.of("setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER,
                "--init-groups", "--"), command);
    }

    /** Whether the service user can reach {@code dir} (every parent searchable). */
    static boolean serviceUserCanReach(Path dir) {
        return !isRoot() || Commands.run(asServiceUser(List.of("test", "-x", dir.toString())), Path.of("/"), 10).ok();
    }

    /** Creates {@code dir} (mode 0700) owned by the service user when we are root. */
    static void createPrivateDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            if (isRoot()) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                GroupPrincipal group = users.lookupPrincipalByGroupName(SERVICE_USER);
                PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
                view.setOwner(users.lookupPrincipalByName(SERVICE_USER));
                view.setGroup(group);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + dir, e);
        }
    }
}
