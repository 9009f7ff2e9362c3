package io.squall.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What {@link SquallService#setUp} gets: where commands are declared (Snorky's {@code @rpc_command}) and the
 * broker's facilities, which the service may keep for later.
 *
 * <p>Params bind by name to a record ({@code P}): a missing, extra or mistyped key is answered
 * {@code "Invalid params"} with the key in {@code field}, before the command runs. Use {@link NoParams} for a
 * command that takes none.
 */
public interface ServiceSetup {

    /**
     * A command answered at once with its return value (any Jackson-serializable value, or null). Throwing
     * {@link ServiceException} answers with its error; any other exception is logged and answered
     * {@code "Internal error"}.
     */
    <P> ServiceSetup command(String name, Class<P> paramsType, Command<P> handler);

    /**
     * A command that keeps its {@link Call} and answers later, on the loop (Snorky's {@code @rpc_asynchronous}), e.g.
     * from {@link Loop#runOnExecutor}'s callback.
     */
    <P> ServiceSetup asyncCommand(String name, Class<P> paramsType, AsyncCommand<P> handler);

    /** The event loop: run soon, later, periodically, and blocking work on a pool with the result back here. */
    Loop loop();

    /** Publishing to PubSub channels, through the broker's engine (one node or a cluster alike). */
    Channels channels();

    /** The nodes sharing the engine: messages between this service's instances, claims, liveness. */
    Cluster cluster();

    /**
     * Sends one notification to every caller in {@code callers}, encoded once (a room's fan-out): each gets what
     * {@link Caller#notify} would send. Loop thread only.
     */
    void notifyAll(Iterable<? extends Caller> callers, Object message);

    /** Where the service reports its clients in channels to the application's webhooks. */
    ChannelEvents channelEvents();

    /** Where the service registers its own meters; they are scraped with the broker's at {@code /metrics}. */
    MeterRegistry meters();

    /** The broker's JSON mapper, to build or read {@code JsonNode} values. Never reconfigure it. */
    ObjectMapper json();

    /** A command answered with its return value. */
    @FunctionalInterface
    interface Command<P> {
        Object handle(Call call, P params);
    }

    /** A command that answers later through its {@link Call}. */
    @FunctionalInterface
    interface AsyncCommand<P> {
        void handle(Call call, P params);
    }
}
