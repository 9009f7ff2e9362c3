package io.squall.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.squall.core.broker.BrokerUnavailableException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection commands go through (one per Redis, or one cluster connection). Lettuce reconnects it once it was
 * up; this class only keeps trying the first connect, so that a node can start while Redis is still down. While it
 * is not connected, {@link #commands()} fails fast instead of queueing; a Redis that stopped answering (a
 * periodic PING timed out) makes the link unavailable until it answers again.
 */
final class CommandLink<C extends StatefulConnection<String, String>> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandLink.class);
    private static final long MAX_RETRY_MILLIS = 2_000;
    private static final int STALLED_AFTER = 2;

    private final String name;
    private final Supplier<CompletionStage<C>> connector;
    private final Function<C, RedisClusterAsyncCommands<String, String>> commands;
    private final ClientResources resources;
    private volatile C connection;
    private volatile boolean closed;
    /** the latest PING answered in time: an open TCP connection to a stalled Redis is not available */
    private volatile boolean answering = true;
    /**
     * PINGs missed in a row. Two mean Redis is stalled, not merely slow: one can be a machine too busy for a
     * moment, and refusing every call for it would turn slowness into failures.
     */
    private volatile int missedPings;
    private final AtomicBoolean pinging = new AtomicBoolean();
    private int attempts;

    CommandLink(String name, Supplier<CompletionStage<C>> connector,
            Function<C, RedisClusterAsyncCommands<String, String>> commands, ClientResources resources) {
        this.name = name;
        this.connector = connector;
        this.commands = commands;
        this.resources = resources;
    }

    void start() {
        connector.get().whenComplete((connected, failure) -> {
            if (failure != null) {
                attempts++;
                long delay = Math.min(MAX_RETRY_MILLIS, 50L << Math.min(attempts, 6));
                if (attempts == 1) {
                    log.warn("redis {}: not reachable yet, retrying ({})", name, failure.toString());
                }
                try {
                    if (!closed) {
                        resources.eventExecutorGroup().schedule(this::start, delay, TimeUnit.MILLISECONDS);
                    }
                } catch (RejectedExecutionException ignored) {
                    // closing: the resources are shutting down
                }
                return;
            }
            if (closed) {
                connected.closeAsync();
                return;
            }
            log.info("redis {}: connected", name);
            connection = connected;
        });
    }

    /** Connected and answering its latest PING (see {@link #ping()}). */
    boolean connected() {
        C current = connection;
        return current != null && current.isOpen() && answering;
    }

    /** Checks that Redis answers (called periodically); at most one PING in flight. */
    void ping() {
        C current = connection;
        if (current == null || !current.isOpen() || !pinging.compareAndSet(false, true)) {
            return;
        }
        commands.apply(current).ping().whenComplete((pong, failure) -> {
            answering = failure == null;
            missedPings = failure == null ? 0 : Math.min(missedPings + 1, STALLED_AFTER);
            pinging.set(false);
        });
    }

    /** Missed its latest two PINGs: stalled; the PINGs go on, and the first one answered lifts it. */
    boolean stalled() {
        return missedPings >= STALLED_AFTER;
    }

    /**
     * The async commands, or BrokerUnavailableException at once when Redis is not reachable now or is
     * {@link #stalled()}.
     */
    RedisClusterAsyncCommands<String, String> commands() {
        C current = connection;
        if (current == null || !current.isOpen()) {
            throw new BrokerUnavailableException("redis " + name + " is not connected");
        }
        if (stalled()) {
            // a stalled Redis (SIGSTOP, a long fork) keeps its socket open: a command written now would wait there,
            // time out as Unavailable, and still run when Redis wakes. Refused unsent, nothing runs later.
            throw new BrokerUnavailableException("redis " + name + " is not answering");
        }
        return commands.apply(current);
    }

    @Override
    public void close() {
        closed = true;
        C current = connection;
        if (current != null) {
            current.close();
        }
    }
}
