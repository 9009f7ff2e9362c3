package io.squall.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.ServiceRegistry;
import io.squall.core.api.ApiService;
import io.squall.core.service.chat.ChatService;
import io.squall.core.service.cursors.CursorsService;
import io.squall.core.service.datasync.DataSyncService;
import io.squall.core.service.pubsub.PubSubService;
import io.squall.server.testing.Await;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import io.squall.services.messaging.MessagingService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Many real connections, each with an identity from a real token (several devices per identity), use every
 * service as configured by default, then all close: every internal map of every service is empty again, and so is
 * the registry's identity index.
 */
class ServicesLeakIT {
    private static final int CLIENTS = 40;
    private static final int IDENTITIES = 10;

    @Test
    void every_service_forgets_every_connection() {
        try (TestBroker broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET,
                "datasync.dealers=All=broadcast:Task,Mine=filter:Task")) {
            List<WsTestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    String token = Jwts.hs256(Jwts.SECRET,
                            Jwts.claims("user" + (i % IDENTITIES), Instant.now(), 300).build());
                    WsTestClient client = i % 2 == 0 ? broker.connectWithToken(token) : broker.connectWithBearer(token);
                    clients.add(client);
                    use(broker, client, i);
                }
                Map<String, Integer> inUse = sizes(broker);
                inUse.remove("datasync.pending"); // every subscription was acquired
                assertThat(inUse).allSatisfy((map, size) -> assertThat(size).as(map).isPositive());
                assertThat(identityCount(broker)).isEqualTo(IDENTITIES);
            } finally {
                clients.forEach(WsTestClient::close);
            }
            broker.awaitNoClients();
            Await.until("every service map is empty: " + sizes(broker),
                    () -> sizes(broker).values().stream().allMatch(size -> size == 0));
            assertThat(identityCount(broker)).as("the identity index is empty").isZero();
        }
    }

    private static void use(TestBroker broker, WsTestClient client, int i) {
        expectResponse(client.call("chat", "join", "{\"channel\":\"room" + (i % 3) + "\"}", 0));
        expectResponse(client.call("chat", "send", "{\"channel\":\"room" + (i % 3) + "\",\"body\":" + i + "}", 1));
        expectResponse(client.call("messaging", "registerParticipant", "{\"name\":\"p" + i + "\"}", 2));
        expectResponse(client.call("cursors", "join", "{\"document\":\"doc" + (i % 4) + "\"}", 3));
        expectResponse(client.call("cursors", "createCursor",
                "{\"privateHandle\":1,\"document\":\"doc" + (i % 4) + "\",\"position\":0,\"status\":null}", 4));
        String token = broker.backend("{\"service\":\"datasync_backend\",\"message\":{\"command\":"
                + "\"authorizeSubscription\",\"params\":{\"items\":[{\"dealer\":\"All\",\"query\":null},"
                + "{\"dealer\":\"Mine\",\"query\":[\"==\",\"owner\"," + i + "]}]}}}").body()
                .replaceAll(".*\"data\":\"([a-z0-9]{32})\".*", "$1");
        expectResponse(client.call("datasync", "acquireSubscription", "{\"token\":\"" + token + "\"}", 5));
        expectResponse(client.call("pubsub", "subscribe", "{\"channel\":\"c" + i + "\"}", 6));
    }

    private static void expectResponse(JsonNode reply) {
        assertThat(reply.at("/message/type").asText()).as(reply.toString()).isEqualTo("response");
    }

    private static int identityCount(TestBroker broker) {
        return broker.server().callOnLoop(() -> broker.server().publicRegistry().identityCount());
    }

    /** Every service's internal map sizes, read on the loop through the public registry. */
    private static Map<String, Integer> sizes(TestBroker broker) {
        return broker.server().callOnLoop(() -> {
            ServiceRegistry registry = broker.server().publicRegistry();
            Map<String, Integer> sizes = new TreeMap<>();
            service(registry, "chat", ChatService.class).stateSizes().forEach((k, v) -> sizes.put("chat." + k, v));
            service(registry, "cursors", CursorsService.class).stateSizes()
                    .forEach((k, v) -> sizes.put("cursors." + k, v));
            service(registry, "datasync", DataSyncService.class).stateSizes()
                    .forEach((k, v) -> sizes.put("datasync." + k, v));
            MessagingService messaging = service(registry, "messaging", MessagingService.class);
            sizes.put("messaging.participants", messaging.participantCount());
            sizes.put("messaging.clients", messaging.clientCount());
            PubSubService pubsub = service(registry, "pubsub", PubSubService.class);
            sizes.put("pubsub.channels", pubsub.channelCount());
            sizes.put("pubsub.clients", pubsub.subscribedClientCount());
            return sizes;
        });
    }

    private static <T> T service(ServiceRegistry registry, String name, Class<T> type) {
        var service = registry.service(name).orElseThrow();
        return type.cast(service instanceof ApiService adapter ? adapter.service() : service); // a built-in of the API

    }
}
