package dev.marginal.stack;

/**
 * One process the stack runs. {@code start} returns once the service answers (and is a no-op when
 * it already runs); {@code stop} returns once the process is gone.
 */
public interface Service {

    String name();

    void start();

    void stop();

    Health health();
}
