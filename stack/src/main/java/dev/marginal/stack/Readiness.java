package dev.marginal.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Waiting for a freshly started process to answer, and failing fast with its log when it dies instead. */
public final class Readiness {

    /** One attempt: true when ready; an exception counts as "not yet" and becomes the reported reason. */
    @FunctionalInterface
    public interface Probe {
        boolean ready() throws Exception;
    }

    private Readiness() {}

    public static void await(Daemon daemon, Duration timeout, Probe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastReason = "no answer yet";
        while (true) {
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (Exception e) {
                lastReason = String.valueOf(e.getMessage());
            }
            if (hasExited(daemon)) {
                throw new StackException(daemon.name() + " exited during start-up; last lines of "
                        + daemon.logFile() + ":\n" + daemon.logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(daemon.name() + " did not become ready within " + timeout.toSeconds()
                        + " s (" + lastReason + "); last lines of " + daemon.logFile() + ":\n" + daemon.logTail(40));
            }
            Daemon.sleep(Duration.ofMillis(250));
        }
    }

    /**
     * True when the daemon is gone, asked a few times: while a start-up execs along its chain
     * (setsid, setpriv, the server) its command line can read empty for an instant, and one such
     * read must not fail a healthy start.
     */
    private static boolean hasExited(Daemon daemon) {
        for (int look = 0; look < 4; look++) {
            if (daemon.isRunning()) {
                return false;
            }
            Daemon.sleep(Duration.ofMillis(100));
        }
        return true;
    }

    /** True when nothing listens on 127.0.0.1:{@code port}. */
    public static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Refuses to start a service on a port someone else already holds, naming the port's variable. */
    public static void requireFree(int port, String variable, String service) {
        if (!portFree(port)) {
            throw new StackException("cannot start " + service + ": port " + port + " is in use by another process"
                    + " (choose another with " + variable + ")");
        }
    }
}
