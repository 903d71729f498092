package dev.marginal.stack;

/** Progress lines for a person watching `bin/marginal up`: slow steps say what they are doing. */
public final class Progress {

    private static volatile boolean quiet = Boolean.getBoolean("marginal.quiet");

    private Progress() {}

    public static void say(String line) {
        if (!quiet) {
            System.out.println(line);
            System.out.flush();
        }
    }

    /** Silences progress lines, e.g. for `status`, whose output is a table. */
    public static void quiet(boolean value) {
        quiet = value;
    }
}
