package io.squall.snap;

import static io.squall.core.testing.Jsons.json;

import io.squall.core.testing.PubSubs;
import io.squall.core.ServiceContext;
import io.squall.core.loop.ManualEventLoop;
import io.squall.core.service.pubsub.ChannelPolicy;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.core.testing.RecordingClient;
import io.squall.core.testing.ServiceContexts;
import io.squall.snap.codec.Snapb1Codec;
import io.squall.snap.link.FakeSerialLink;
import io.squall.snap.link.SerialSettings;
import io.squall.snap.link.SerialWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A bridge on a manual loop with a fake link, real PubSub and a writer that writes at once on the test thread. */
final class BridgeFixture {
    final ManualEventLoop loop = new ManualEventLoop();
    final ServiceContext context = ServiceContexts.create(loop);
    final PubSubService pubsub = PubSubs.memory("pubsub", context, ChannelPolicy.open(true), 128);
    final FakeSerialLink link = new FakeSerialLink();
    final Snapb1Codec codec = new Snapb1Codec();
    final SnapBridgeConfig config;
    final SnapBridge bridge;
    final SnapService backend;
    final SnapService publicSnap;

    BridgeFixture() {
        this(SnapBridgeConfig.defaults(SerialSettings.of("/dev/fake", 38400)));
    }

    BridgeFixture(SnapBridgeConfig config) {
        this.config = config;
        this.bridge = new SnapBridge(config, context, pubsub, link, new SerialWriter(Runnable::run), codec);
        this.backend = new SnapService("snap", context, bridge, null);
        this.publicSnap = new SnapService("snap", context, bridge, Set.of("setLed"));
    }

    /** Starts the bridge and lets the open complete. */
    BridgeFixture started() {
        bridge.start();
        loop.runPending();
        return this;
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
