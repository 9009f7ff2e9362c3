package io.squall.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.api.Registry;
import io.squall.redis.testing.RedisServer;
import io.squall.server.Squall;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service of the public API publishes and reads channels through the engine: on Redis, subscribers on another node
 * get its publications, and the same service on another node reads them back from the channel's history.
 */
class ApiClusterIT {

    private static Squall node(RedisServer redis, boolean withGreeter) {
        Squall.Builder builder = Squall.builder().args("--public.host=127.0.0.1", "--public.port=0",
                "--private.host=127.0.0.1", "--private.port=0", "--backend.key=cluster-test-key-0123456789",
                "--shutdown.timeout=2s", "--engine=redis", "--redis.address=" + redis.uri(),
                "--redis.command.timeout=1s", "--pubsub.channels=greetings size=10 ttl=1h");
        return (withGreeter ? builder.service(Registry.PUBLIC, new Greeter()) : builder).start();
    }

    private static WsTestClient connect(Squall squall) {
        return WsTestClient.connect(URI.create("ws://127.0.0.1:" + squall.publicPort() + "/ws"), Map.of());
    }

    @Test
    void aServicesPublicationReachesSubscribersOnAnotherNode() {
        try (RedisServer redis = RedisServer.start();
                Squall a = node(redis, true);
                Squall b = node(redis, false);
                WsTestClient caller = connect(a);
                WsTestClient subscriber = connect(b)) {
            assertThat(subscriber.call("pubsub", "subscribe", "{\"channel\":\"greetings\"}", 1).path("message")
                    .path("type").asText()).isEqualTo("response");
            assertThat(caller.call("greeter", "hello", "{\"name\":\"Ada\"}", 1).path("message").path("data").asText())
                    .isEqualTo("Hello, Ada (#1)");
            assertThat(subscriber.next().path("message").path("message").asText()).isEqualTo("hello Ada");
        }
    }

    @Test
    void aServiceReadsAChannelsHistoryThroughTheEngineFromAnotherNode() {
        try (RedisServer redis = RedisServer.start();
                Squall a = node(redis, true);
                Squall b = node(redis, true);
                WsTestClient onA = connect(a);
                WsTestClient onB = connect(b)) {
            onA.call("greeter", "hello", "{\"name\":\"Ada\"}", 1);
            onA.call("greeter", "hello", "{\"name\":\"Bob\"}", 2);

            assertThat(onB.call("greeter", "recent", "{\"limit\":5}", 1).path("message").path("data").toString())
                    .isEqualTo("[\"hello Ada\",\"hello Bob\"]");
            assertThat(onB.call("greeter", "recent", "{\"limit\":1}", 2).path("message").path("data").toString())
                    .isEqualTo("[\"hello Bob\"]");
        }
    }
}
