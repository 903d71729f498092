package dev.marginal.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium} and {@code chromium-driver}, installed the way the stack installs
 * PostgreSQL: found in /usr/bin, else, as root on a machine with apt-get (CI), installed with
 * {@code apt-get install --no-install-recommends chromium chromium-driver}. Not root and not
 * installed: the browser test is skipped, saying why; as root a failed install fails it.
 */
record Chromium(Path browser, Path driver) {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    static synchronized Chromium locateOrInstall() {
        if (!installed()) {
            install();
        }
        return new Chromium(BROWSER, DRIVER);
    }

    private static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    private static void install() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            Assumptions.abort("Debian's chromium and chromium-driver are not installed and we are not root to install them"
                    + " (apt-get install chromium chromium-driver); CI runs as root and installs them");
        }
        run(List.of("apt-get", "update", "-q"));
        run(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
                "--no-install-recommends", "chromium", "chromium-driver"));
        if (!installed()) {
            Assertions.fail("apt-get installed chromium and chromium-driver but " + BROWSER + " or " + DRIVER + " is missing");
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                Assertions.fail(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            Assertions.fail(String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Assertions.fail("interrupted");
        }
    }
}
