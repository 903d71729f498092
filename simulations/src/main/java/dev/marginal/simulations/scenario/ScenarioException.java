package dev.marginal.simulations.scenario;

/**
 * A scenario file the simulator refuses, with where and why: {@code pricing.yaml:14: tiers[1].from:
 * tiers overlap …}. The CLI prints {@link #getMessage()} as is, in the compiler's file:line form
 * editors jump to.
 */
public final class ScenarioException extends RuntimeException {

    private final String file;
    private final int line;
    private final String reason;

    public ScenarioException(String file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    /** 1-based, as editors count. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
