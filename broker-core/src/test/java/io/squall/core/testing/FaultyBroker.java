package io.squall.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.broker.Broker;
import io.squall.core.broker.BrokerEvents;
import io.squall.core.broker.BrokerUnavailableException;
import io.squall.core.broker.HistoryQuery;
import io.squall.core.broker.HistoryResult;
import io.squall.core.broker.MemoryBroker;
import io.squall.core.broker.Publication;
import io.squall.core.broker.PublishOptions;
import io.squall.core.broker.PublishResult;
import io.squall.api.JsonKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A fault injector around a real {@link MemoryBroker} (not a mock): everything goes through the real engine, and on
 * demand it loses the next delivery to this node (a publication lost between Redis and the node), holds deliveries
 * back (a publication in transit), holds history reads or subscribe confirmations (a slow engine), fails every call
 * (the engine down), or restarts the engine empty under a new epoch (Redis restarted), keeping this node's
 * subscriptions as the Redis engine's relinking would.
 */
public final class FaultyBroker implements Broker {
    private final Supplier<MemoryBroker> engines;
    private MemoryBroker real;
    private BrokerEvents events;
    private final Set<JsonKey> subscribed = new LinkedHashSet<>();
    private int dropDeliveries;
    private int delayDeliveries;
    private final List<Runnable> delayed = new ArrayList<>();
    private boolean holdReads;
    private final List<Runnable> heldReads = new ArrayList<>();
    private int reads;
    private boolean unavailable;
    private boolean holdSubscribes;
    private final List<Runnable> heldSubscribes = new ArrayList<>();

    /** @param engines makes a fresh engine: one now, and one more on every {@link #restartEngine} */
    public FaultyBroker(Supplier<MemoryBroker> engines) {
        this.engines = engines;
        this.real = engines.get();
    }

    /** The engine currently behind this decorator. */
    public MemoryBroker engine() {
        return real;
    }

    /** The next {@code n} deliveries to this node are lost (they are still published and kept in the history). */
    public FaultyBroker dropNextDeliveries(int n) {
        dropDeliveries += n;
        return this;
    }

    public FaultyBroker dropNextDelivery() {
        return dropNextDeliveries(1);
    }

    /** The next delivery to this node stays in transit until {@link #releaseDelayedDeliveries}. */
    public FaultyBroker delayNextDelivery() {
        delayDeliveries++;
        return this;
    }

    public int releaseDelayedDeliveries() {
        List<Runnable> now = List.copyOf(delayed);
        delayed.clear();
        now.forEach(Runnable::run);
        return now.size();
    }

    /** History reads wait (and read nothing yet) until {@link #releaseHistoryReads}. */
    public FaultyBroker holdHistoryReads() {
        holdReads = true;
        return this;
    }

    /** Runs the held reads against the engine as it is now, in order, and stops holding. */
    public int releaseHistoryReads() {
        holdReads = false;
        List<Runnable> now = List.copyOf(heldReads);
        heldReads.clear();
        now.forEach(Runnable::run);
        return now.size();
    }

    /** While set, publish, subscribe and history fail with {@link BrokerUnavailableException} (the engine is down). */
    public FaultyBroker unavailable(boolean down) {
        unavailable = down;
        return this;
    }

    /** This node's subscribe calls wait (unconfirmed) until {@link #releaseSubscribes}. */
    public FaultyBroker holdSubscribes() {
        holdSubscribes = true;
        return this;
    }

    /** Confirms the held subscribe calls, in order (or fails them while {@link #unavailable}), and stops holding. */
    public int releaseSubscribes() {
        holdSubscribes = false;
        List<Runnable> now = List.copyOf(heldSubscribes);
        heldSubscribes.clear();
        now.forEach(Runnable::run);
        return now.size();
    }

    /** History reads asked of this broker so far (position checks included). */
    public int reads() {
        return reads;
    }

    /**
     * The engine loses everything and starts again under new epochs; this node stays subscribed to its channels.
     * As with Redis, nothing tells the node until {@link #interruptDelivery} is called (the pub/sub link rebuilt).
     */
    public void restartEngine() {
        real.close();
        real = engines.get();
        startReal();
        for (JsonKey channel : subscribed) {
            real.subscribe(channel, (ignored, failure) -> {});
        }
    }

    /** What the Redis engine does after its pub/sub link was rebuilt. */
    public void interruptDelivery() {
        events.onDeliveryInterrupted();
    }

    @Override
    public void start(BrokerEvents events) {
        this.events = events;
        startReal();
    }

    private void startReal() {
        real.start(new BrokerEvents() {
            @Override
            public void onPublication(JsonKey channel, Publication publication, String epoch) {
                if (dropDeliveries > 0) {
                    dropDeliveries--;
                } else if (delayDeliveries > 0) {
                    delayDeliveries--;
                    delayed.add(() -> events.onPublication(channel, publication, epoch));
                } else {
                    events.onPublication(channel, publication, epoch);
                }
            }

            @Override
            public void onDeliveryInterrupted() {
                events.onDeliveryInterrupted();
            }
        });
    }

    @Override
    public void publish(JsonKey channel, JsonNode data, PublishOptions options,
            BiConsumer<PublishResult, Throwable> onLoop) {
        if (unavailable) {
            onLoop.accept(null, down());
            return;
        }
        real.publish(channel, data, options, onLoop);
    }

    @Override
    public void subscribe(JsonKey channel, BiConsumer<Void, Throwable> onLoop) {
        Runnable subscribe = () -> {
            if (unavailable) {
                onLoop.accept(null, down());
            } else {
                subscribed.add(channel);
                real.subscribe(channel, onLoop);
            }
        };
        if (holdSubscribes) {
            heldSubscribes.add(subscribe);
        } else {
            subscribe.run();
        }
    }

    @Override
    public void unsubscribe(JsonKey channel) {
        subscribed.remove(channel);
        real.unsubscribe(channel);
    }

    @Override
    public void history(JsonKey channel, HistoryQuery query, BiConsumer<HistoryResult, Throwable> onLoop) {
        reads++;
        Runnable read = () -> {
            if (unavailable) {
                onLoop.accept(null, down());
            } else {
                real.history(channel, query, onLoop);
            }
        };
        if (holdReads) {
            heldReads.add(read);
        } else {
            read.run();
        }
    }

    private static BrokerUnavailableException down() {
        return new BrokerUnavailableException("injected: the engine is down");
    }

    @Override
    public void close() {
        real.close();
    }
}
