package io.squall.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.api.Registry;
import io.squall.api.SquallService;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.api.ApiServices;
import io.squall.core.json.Json;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs services written against broker-api on the {@link ManualEventLoop}, without sockets: the test thread is the
 * loop, time moves only with {@link #advance}, the shared worker pool's jobs run at {@link #runPending}, and clients
 * are {@link RecordingClient}s. Publications are recorded instead of reaching an engine. For service authors' tests
 * (docs/services.md) as much as the core's.
 *
 * <pre>{@code
 * ServiceHarness harness = ServiceHarness.start(Registry.PUBLIC, new Greeter());
 * RecordingClient alice = harness.connect(new RecordingClient("alice"));
 * JsonNode reply = harness.call(alice, "greeter", "hello", "{\"name\":\"Ada\"}");
 * }</pre>
 */
public final class ServiceHarness {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ServiceContext context = ServiceContexts.create(loop);
    private final ServiceRegistry publicRegistry = new ServiceRegistry("public", context);
    private final ServiceRegistry privateRegistry = new ServiceRegistry("private", context);
    private final List<String> published = new ArrayList<>();
    private final ProtocolCodec codec = new ProtocolCodec(Json.mapper());
    private final ApiServices services;
    private int callIds;

    private ServiceHarness() {
        services = new ApiServices(context, (channel, data, onLoop) -> {
            published.add(channel.value().asText() + " " + data);
            onLoop.accept(io.squall.core.broker.PublishResult.LIVE, null);
        });
    }

    /** A harness running {@code service} in {@code registry}. */
    public static ServiceHarness start(Registry registry, SquallService service) {
        return new ServiceHarness().add(registry, service);
    }

    /** Adds another service (set up at once, on the test thread: the loop). */
    public ServiceHarness add(Registry registry, SquallService service) {
        services.add(registry == Registry.PUBLIC ? publicRegistry : privateRegistry, service);
        return this;
    }

    /** Connects {@code client} to the public registry. */
    public RecordingClient connect(RecordingClient client) {
        publicRegistry.connected(client);
        return client;
    }

    public void disconnect(RecordingClient client) {
        publicRegistry.disconnected(client);
    }

    /**
     * Sends one RPC call from {@code client} (public registry), runs what is pending, and returns the reply's
     * {@code message} ({@code {"type":"response","data":...}} or {@code {"type":"error",...}}), or null when the call
     * is not answered yet (an async command waiting for a timer or a pool).
     */
    public JsonNode call(RecordingClient client, String service, String command, String paramsJson) {
        int callId = ++callIds;
        Decoded decoded = codec.decode("{\"service\":\"" + service + "\",\"message\":{\"command\":\"" + command
                + "\",\"params\":" + paramsJson + ",\"callId\":" + callId + "}}");
        if (!(decoded instanceof Decoded.Ok ok)) {
            throw new IllegalArgumentException("not a valid envelope: " + paramsJson);
        }
        publicRegistry.dispatch(client, ok.envelope());
        loop.runPending();
        return reply(client, callId);
    }

    /** The reply to call {@code callId} among what {@code client} was sent, or null. */
    public static JsonNode reply(RecordingClient client, int callId) {
        for (JsonNode frame : client.messages()) {
            JsonNode message = frame.path("message");
            if (message.path("callId").asInt(-1) == callId && message.has("type")
                    && !message.path("type").asText().equals("message")) {
                return message;
            }
        }
        return null;
    }

    /** Runs the shared pool's jobs and the tasks queued so far. */
    public void runPending() {
        loop.runPending();
    }

    /** Moves virtual time, running the timers, periodic callbacks and refresh pauses that fall due. */
    public void advance(Duration duration) {
        loop.advance(duration);
    }

    /**
     * Runs the loop until {@code condition} holds, for results of a service's own pools (real threads): pumps, moves
     * time by 10 ms per round, fails after 20 s of wall time.
     */
    public void runUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 20 s: " + what);
            }
            loop.advance(Duration.ofMillis(10));
            sleepQuietly();
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1); // let the pool's threads run: the machine may have few cores
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Publications so far, each {@code "channel data"}. */
    public List<String> published() {
        return List.copyOf(published);
    }

    /** Stops every service as the broker's shutdown does. */
    public void stop() {
        services.stopAll();
    }

    public ManualEventLoop loop() {
        return loop;
    }

    public ServiceContext context() {
        return context;
    }
}
