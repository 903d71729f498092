package dev.marginal.simulations.engine;

/** Told after each variant is evaluated; called from worker threads, so it must be thread-safe. */
@FunctionalInterface
public interface Progress {

    Progress NONE = (done, total) -> { };

    void variantDone(int done, int total);
}
