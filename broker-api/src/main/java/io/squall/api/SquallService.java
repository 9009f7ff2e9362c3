package io.squall.api;

/**
 * A service you write: a name clients address, the commands it declares in {@link #setUp}, and what it does when
 * clients come and go. Every callback runs on the broker's single event loop, so a service keeps its state in plain
 * fields and collections and never locks; blocking work goes to {@link Loop#runOnExecutor}.
 *
 * <pre>{@code
 * public final class Greeter implements SquallService {
 *     record HelloParams(String name) {}
 *
 *     public String name() { return "greeter"; }
 *
 *     public void setUp(ServiceSetup setup) {
 *         setup.command("hello", HelloParams.class, (call, params) -> "Hello, " + params.name());
 *     }
 * }
 * }</pre>
 */
public interface SquallService {

    /** The name clients put in the envelope's {@code service} field; unique within its registry. */
    String name();

    /**
     * Called once, on the loop, before any client reaches the service: declare commands, keep the {@link Loop},
     * {@link Channels} and meters you need, start background work.
     */
    void setUp(ServiceSetup setup);

    /** A client connected to the registry this service is in. */
    default void onConnect(Caller caller) {}

    /** A client left: drop every piece of state kept for it. */
    default void onDisconnect(Caller caller) {}

    /**
     * The broker is stopping: called once, on the loop, after the service's timers, periodic callbacks and refreshes
     * were stopped and the threads of its own pools interrupted. Close what the service holds besides.
     */
    default void onStop() {}
}
