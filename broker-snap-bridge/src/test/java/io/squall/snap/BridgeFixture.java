package io.squall.snap;

import static io.squall.core.testing.Jsons.json;

import io.squall.api.ServiceBinding;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallService;
import io.squall.core.Service;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.api.ApiServices;
import io.squall.core.broker.HistorySettings;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.core.testing.PubSubs;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import io.squall.snap.codec.Snapb1Codec;
import io.squall.snap.link.FakeSerialLink;
import io.squall.snap.link.SerialSettings;
import io.squall.snap.link.SerialWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The SNAP plugin run by the broker's adapter of the public service API, as the broker runs it: on a manual loop,
 * with a fake port, real PubSub (what the bridge publishes reaches subscribers) and a writer that writes at once on
 * the test thread. Set up what a test needs first, then {@link #started} sets the plugin's services up, which starts
 * the bridge.
 */
final class BridgeFixture {
    final ManualEventLoop loop = new ManualEventLoop();
    final ServiceContext context = ServiceContexts.create(loop);
    final PubSubService pubsub = PubSubs.memory("pubsub", context, ChannelPolicy.open(true), 128);
    final FakeSerialLink link = new FakeSerialLink();
    final Snapb1Codec codec = new Snapb1Codec();
    final SnapBridgeConfig config;
    final ServiceRegistry privateRegistry = new ServiceRegistry("private", context);
    final ServiceRegistry publicRegistry = new ServiceRegistry("public", context);
    final ServiceBus bus;
    private final SerialWriter writer;
    private final ApiServices services;
    private SnapPlugin plugin;
    SnapBridge bridge;
    /** The private {@code snap} service (every function), once started. */
    Service backend;
    /** The public one ({@code setLed} only, on the default configuration), once started. */
    Service publicSnap;

    BridgeFixture() {
        this(SnapBridgeConfig.defaults(SerialSettings.of("/dev/fake", 38400)).withPublicFunctions(List.of("setLed")));
    }

    BridgeFixture(SnapBridgeConfig config) {
        this(config, new SerialWriter(Runnable::run), null);
    }

    /** @param bus the engine's bus on this fixture's loop; null: the memory engine's (one node) */
    BridgeFixture(SnapBridgeConfig config, SerialWriter writer, Function<ManualEventLoop, ServiceBus> bus) {
        this.config = config;
        this.writer = writer;
        this.bus = bus != null ? bus.apply(loop)
                : ServiceBus.memory(loop, HistorySettings.DEFAULTS, Duration.ofSeconds(30));
        this.services = new ApiServices(context, this.bus,
                (channel, data, onLoop) -> pubsub.publish(channel, data, null, onLoop), pubsub.reads());
        loop.runPending();
    }

    /** Sets the plugin's services up (which starts the bridge) and lets the open complete. */
    BridgeFixture started() {
        setUp();
        loop.runPending();
        return this;
    }

    /** Sets the plugin's services up, which starts the bridge: its open is queued for a worker, not yet run. */
    BridgeFixture setUp() {
        plugin = new SnapPlugin(config, this::newBridge);
        for (ServiceBinding binding : plugin.services(null)) {
            ServiceRegistry registry = binding.registry() == io.squall.api.Registry.PRIVATE ? privateRegistry
                    : publicRegistry;
            Service adapter = services.add(registry, binding.service());
            if (registry == privateRegistry) {
                backend = adapter;
            } else {
                publicSnap = adapter;
            }
        }
        bridge = cluster().bridge();
        return this;
    }

    SnapCluster cluster() {
        return plugin.cluster().orElseThrow();
    }

    /** A bridge on this fixture's port, set up by a service of its own and not started: for the bridge alone. */
    SnapBridge bareBridge(SerialWriter with) {
        SnapBridge[] made = new SnapBridge[1];
        services.add(privateRegistry, new SquallService() {
            @Override
            public String name() {
                return "bare" + System.identityHashCode(made);
            }

            @Override
            public void setUp(ServiceSetup setup) {
                made[0] = new SnapBridge(config, setup, link, with, codec);
            }
        });
        return made[0];
    }

    /** Stops the services, as the broker's shutdown does. */
    void stop() {
        services.stopAll();
        loop.runPending();
    }

    private SnapBridge newBridge(ServiceSetup setup) {
        return new SnapBridge(config, setup, link, writer, codec);
    }

    RecordingClient subscriber(String channel) {
        RecordingClient client = new RecordingClient(channel);
        pubsub.onMessage(client, json("{'command':'subscribe','params':{'channel':'" + channel + "'},'callId':1}"));
        client.drain();
        return client;
    }

    /** Feeds bytes and runs one poll. */
    void receive(byte[] bytes) {
        link.feed(bytes);
        poll();
    }

    void poll() {
        loop.advance(config.pollInterval());
    }

    void advance(Duration duration) {
        loop.advance(duration);
    }

    static List<String> texts(RecordingClient client) {
        return client.drain().stream().map(m -> m.path("message").path("message").toString()).toList();
    }
}
