package io.squall.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.squall.api.Registry;
import io.squall.api.SquallService;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.api.ApiServices;
import io.squall.core.broker.HistorySettings;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.json.Json;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.metrics.BrokerMetrics;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.ProtocolCodec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs services written against broker-api as the broker would (the same registries, RPC dispatch, params binding
 * and error names), without sockets or threads of its own: the test thread is the event loop, time is virtual and
 * moves only with {@link #advance}, work handed to the shared worker pool runs at {@link #runPending}, and clients
 * are {@link TestClient}s that record what they are sent. Publications are recorded instead of reaching an engine.
 * A service's own {@link io.squall.api.WorkerPool}s are real threads: {@link #runUntil} waits for their results.
 *
 * <pre>{@code
 * try (ServiceTester tester = ServiceTester.start(Registry.PUBLIC, new Greeter())) {
 *     TestClient alice = tester.connect("alice");
 *     JsonNode reply = tester.call(alice, "greeter", "hello", "{\"name\":\"Ada\"}");
 *     assertThat(reply.path("data").asText()).isEqualTo("Hello, Ada");
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one test thread drives it, as one loop thread drives a broker.
 */
public final class ServiceTester implements AutoCloseable {
    /** Where the virtual clock starts ({@link io.squall.api.Call}'s and the services' notion of now). */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ManualEventLoop loop = new ManualEventLoop();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ServiceContext context;
    private final ServiceRegistry publicRegistry;
    private final ServiceRegistry privateRegistry;
    private final ApiServices services;
    private final ProtocolCodec codec = new ProtocolCodec(Json.mapper());
    private final RecordedChannels channels = new RecordedChannels();
    private final List<Connected> clients = new ArrayList<>();
    private int callIds;
    private boolean stopped;

    private record Connected(Registry registry, TestClient client) {}

    private ServiceTester() {
        long startNanos = loop.nanoTime();
        InstantSource clock = () -> START.plusNanos(loop.nanoTime() - startNanos);
        context = new ServiceContext(loop, codec, new BrokerMetrics(meters), clock);
        publicRegistry = new ServiceRegistry("public", context);
        privateRegistry = new ServiceRegistry("private", context);
        // the memory engine's bus: one node, every claim this node's, as a broker without Redis
        services = new ApiServices(context, ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(30)),
                channels, channels);
    }

    /** A tester running {@code service} in {@code registry}, set up at once. */
    public static ServiceTester start(Registry registry, SquallService service) {
        return new ServiceTester().add(registry, service);
    }

    /** Adds another service, set up at once (a second one may call or publish alongside the first). */
    public ServiceTester add(Registry registry, SquallService service) {
        services.add(registry(registry), service);
        return this;
    }

    /** An anonymous client connected to the public registry. */
    public TestClient connect(String name) {
        return connect(Registry.PUBLIC, name, null);
    }

    /** A client connected to {@code registry} with {@code identity} (null: anonymous). */
    public TestClient connect(Registry registry, String name, JsonNode identity) {
        TestClient client = new TestClient(name, identity);
        registry(registry).connected(client.connection());
        clients.add(new Connected(registry, client));
        return client;
    }

    /** The client leaves, as its socket closing would make it. */
    public void disconnect(TestClient client) {
        Connected connected = connected(client);
        clients.remove(connected);
        registry(connected.registry()).disconnected(client.connection());
    }

    /**
     * Sends one call from {@code client} through its registry, as the wire would carry it, runs what is pending, and
     * returns the reply's {@code message} ({@code {"type":"response","data":...}} or {@code {"type":"error",...}}),
     * or null while it is not answered (an async command waiting for a timer or a pool: see {@link #runUntil}
     * and {@link TestClient#reply}). The call ids count from 1 per tester.
     */
    public JsonNode call(TestClient client, String service, String command, String paramsJson) {
        int callId = ++callIds;
        Decoded decoded = codec.decode("{\"service\":" + Json.mapper().valueToTree(service) + ",\"message\":"
                + "{\"command\":" + Json.mapper().valueToTree(command) + ",\"params\":" + paramsJson + ",\"callId\":"
                + callId + "}}");
        if (!(decoded instanceof Decoded.Ok ok)) {
            throw new IllegalArgumentException("not a valid call with params " + paramsJson);
        }
        registry(connected(client).registry()).dispatch(client.connection(), ok.envelope());
        loop.runPending();
        return client.reply(callId);
    }

    /** The id {@link #call} gave its latest call, for {@link TestClient#reply} once it is answered later. */
    public int lastCallId() {
        return callIds;
    }

    /** Runs the shared worker pool's jobs and the loop tasks queued so far (their callbacks included). */
    public void runPending() {
        loop.runPending();
    }

    /** Moves virtual time, running the timers, periodic callbacks and refresh pauses that fall due. */
    public void advance(Duration duration) {
        loop.advance(duration);
    }

    /**
     * Runs the loop until {@code condition} holds, for results of a service's own pools (real threads): runs what is
     * pending and moves virtual time by 10 ms per round; fails after 20 s of wall time.
     */
    public void runUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            loop.advance(Duration.ofMillis(10));
            try {
                TimeUnit.MILLISECONDS.sleep(1); // lets the pools' threads run on a machine of few cores
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /**
     * What the services published so far, oldest first. Every channel keeps all of its publications as history
     * (epoch {@code "test"}, offsets from 1) for {@code Channels.history}; presence is always empty.
     */
    public List<Publication> published() {
        return List.copyOf(channels.published());
    }

    /** The meters the services registered (and the broker's own RPC meters), to assert on. */
    public MeterRegistry meters() {
        return meters;
    }

    /** Stops every service as the broker's shutdown does: timers, periodic callbacks and refreshes end. */
    public void stop() {
        if (!stopped) {
            stopped = true;
            services.stopAll();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Connected connected(TestClient client) {
        return clients.stream().filter(c -> c.client() == client).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(client + " is not connected"));
    }

    private ServiceRegistry registry(Registry registry) {
        return registry == Registry.PUBLIC ? publicRegistry : privateRegistry;
    }
}
