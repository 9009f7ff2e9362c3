package io.squall.core.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.api.Caller;
import io.squall.api.ChannelEvents;
import io.squall.api.Channels;
import io.squall.api.Cluster;
import io.squall.api.JsonKey;
import io.squall.api.Loop;
import io.squall.api.ServiceException;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.error.ErrorName;
import io.squall.core.json.Utf8Length;
import io.squall.core.lifecycle.LifecycleEvents;
import io.squall.core.protocol.EncodedMessage;
import io.squall.core.rpc.Request;
import io.squall.core.rpc.RpcException;
import io.squall.core.rpc.RpcService;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service written against the public API, run as a core {@link RpcService}: the same envelope handling, params
 * binding, metrics and error catalogue as the built-in services. {@code Invalid params} names the key at fault in
 * {@code field}.
 */
public sealed class ApiService extends RpcService permits ApiService.Listening {
    private static final Logger log = LoggerFactory.getLogger(ApiService.class);

    private final SquallService service;
    private final ApiLoop loop;
    private final ApiChannels channels;
    private final ApiCluster cluster;
    /** bytes of the state budget each caller holds with this service (loop-owned) */
    private final Map<Client, Long> held = new HashMap<>();
    private boolean stopped;
    private LifecycleEvents lifecycle = LifecycleEvents.NONE;

    /**
     * The adapter for {@code service}, set up (on the loop). Every adapter hears of disconnects, to let go of the
     * state budget its callers hold ({@link io.squall.api.Caller#hold}); only a service that overrides
     * {@link SquallService#onConnect} or {@link SquallService#onDisconnect} is told of connects and disconnects.
     */
    public static ApiService of(SquallService service, ServiceContext context, ServiceBus bus,
            ChannelPublisher publisher, ChannelReader reader) {
        return overrides(service, "onConnect") || overrides(service, "onDisconnect")
                ? new Listening(service, context, bus, publisher, reader)
                : new ApiService(service, context, bus, publisher, reader);
    }

    private static boolean overrides(SquallService service, String callback) {
        try {
            return service.getClass().getMethod(callback, io.squall.api.Caller.class).getDeclaringClass()
                    != SquallService.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return true; // cannot tell: listen
        }
    }

    /** Runs the service's {@link SquallService#setUp}; on the loop. */
    private ApiService(SquallService service, ServiceContext context, ServiceBus bus, ChannelPublisher publisher,
            ChannelReader reader) {
        super(service.name(), context);
        context.loop().checkInLoop();
        this.service = service;
        this.loop = new ApiLoop(context.loop(), context.clock(), service.name());
        this.channels = new ApiChannels(context, publisher, reader);
        this.cluster = new ApiCluster(context.loop(), bus, context.codec().mapper(), service.name());
        service.setUp(new Setup());
    }

    /** The service it runs. */
    public SquallService service() {
        return service;
    }

    /** The adapter of a service that keeps per-client state: connect and disconnect reach it. */
    static final class Listening extends ApiService {
        Listening(SquallService service, ServiceContext context, ServiceBus bus, ChannelPublisher publisher,
                ChannelReader reader) {
            super(service, context, bus, publisher, reader);
        }

        @Override
        public void onConnect(Client client) {
            service().onConnect(new ClientCaller(client, this));
        }

        @Override
        public void onDisconnect(Client client) {
            try {
                service().onDisconnect(new ClientCaller(client, this));
            } finally {
                super.onDisconnect(client);
            }
        }
    }

    /** Every service hears of disconnects: what a caller still holds of the state budget is let go here. */
    @Override
    public void onDisconnect(Client client) {
        Long bytes = held.remove(client);
        if (bytes != null) {
            context.budget().release(client, bytes);
        }
    }

    void hold(Client client, String key) {
        context.loop().checkInLoop();
        checkKey(key);
        holdBytes(client, Utf8Length.of(key));
    }

    void holdBytes(Client client, long bytes) {
        context.loop().checkInLoop();
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes held must not be negative: " + bytes);
        }
        try {
            context.budget().hold(client, bytes);
        } catch (RpcException e) {
            throw new ServiceException(ErrorNames.toApi(e.error()));
        }
        held.merge(client, bytes, Long::sum);
    }

    void checkKey(String key) {
        try {
            context.budget().keyBytes(key);
        } catch (RpcException e) {
            throw new ServiceException(ErrorNames.toApi(e.error()));
        }
    }

    void release(Client client, String key) {
        releaseBytes(client, Utf8Length.of(key));
    }

    void releaseBytes(Client client, long bytes) {
        context.loop().checkInLoop();
        long now = held.getOrDefault(client, 0L);
        if (bytes < 0 || bytes > now) {
            throw new IllegalStateException(client.describe() + " releases " + bytes + " bytes but holds " + now
                    + " bytes with service " + name());
        }
        context.budget().release(client, bytes);
        if (bytes == now) {
            held.remove(client);
        } else {
            held.put(client, now - bytes);
        }
    }

    /** Stops what the service started, then tells it; a second call does nothing. Loop thread. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        loop.stop();
        try {
            service.onStop();
        } catch (RuntimeException e) {
            log.error("service {} failed in onStop", name(), e);
        }
        cluster.stop();
    }

    /** Where this service's {@link ChannelEvents} go: the webhooks, when they report this service. Loop thread. */
    public void lifecycle(LifecycleEvents events) {
        this.lifecycle = events;
    }

    private static Client clientOf(Caller caller) {
        if (caller instanceof ClientCaller client) {
            return client.client();
        }
        throw new IllegalArgumentException("not a caller of this broker: " + caller);
    }

    private final ChannelEvents channelEvents = new ChannelEvents() {
        @Override
        public void subscribed(Caller caller, JsonKey channel) {
            context.loop().checkInLoop();
            lifecycle.subscribed(name(), channel, clientOf(caller));
        }

        @Override
        public void unsubscribed(Caller caller, JsonKey channel) {
            context.loop().checkInLoop();
            lifecycle.unsubscribed(name(), channel, clientOf(caller));
        }
    };

    void notify(Client client, Object message) {
        context.loop().checkInLoop();
        send(client, context.codec().encode(name(), context.codec().toTree(message)));
    }

    @Override
    protected void invalidParams(Request request, Exception cause) {
        String field = fieldOf(cause);
        if (field == null) {
            request.error(ErrorName.INVALID_PARAMS);
        } else {
            request.error(ErrorName.INVALID_PARAMS, field);
        }
    }

    /** The params key a binding failure is about, when Jackson says (an unknown key, a missing or mistyped one). */
    static String fieldOf(Exception cause) {
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return unknown.getPropertyName();
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return mapping.getPath().get(0).getFieldName();
        }
        return null;
    }

    private <P> void runCommand(Request request, P params, ServiceSetup.AsyncCommand<P> handler) {
        ApiCall call = new ApiCall(request, new ClientCaller(request.client(), this), name());
        try {
            handler.handle(call, params);
        } catch (ServiceException e) {
            throw new RpcException(ErrorNames.of(e.error())); // RpcService answers it unless already answered
        }
    }

    private final class Setup implements ServiceSetup {
        @Override
        public <P> ServiceSetup command(String command, Class<P> paramsType, Command<P> handler) {
            commands().addAsync(command, paramsType, (request, params) -> runCommand(request, params, (call, p) -> {
                Object data = handler.handle(call, p);
                if (!call.isDone()) {
                    call.reply(data);
                }
            }));
            return this;
        }

        @Override
        public <P> ServiceSetup asyncCommand(String command, Class<P> paramsType, AsyncCommand<P> handler) {
            commands().addAsync(command, paramsType, (request, params) -> runCommand(request, params, handler));
            return this;
        }

        @Override
        public Loop loop() {
            return loop;
        }

        @Override
        public Channels channels() {
            return channels;
        }

        @Override
        public Cluster cluster() {
            return cluster;
        }

        @Override
        public void notifyAll(Iterable<? extends Caller> callers, Object message) {
            context.loop().checkInLoop();
            EncodedMessage encoded = context.codec().encode(name(), context.codec().toTree(message));
            for (Caller caller : callers) {
                send(clientOf(caller), encoded);
            }
        }

        @Override
        public ChannelEvents channelEvents() {
            return channelEvents;
        }

        @Override
        public MeterRegistry meters() {
            return context.metrics().registry();
        }

        @Override
        public ObjectMapper json() {
            return context.codec().mapper();
        }
    }
}
