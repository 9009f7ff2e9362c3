package io.squall.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.core.service.chat.ChatService;
import io.squall.core.service.cursors.CursorsService;
import io.squall.core.service.datasync.DataSyncService;
import io.squall.core.service.messaging.MessagingService;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.TestIdentities;
import io.squall.server.testing.WsTestClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Many real connections use every service, then all close: every internal map of every service is empty again. */
class ServicesLeakIT {
    private static final int CLIENTS = 40;

    @Test
    void every_service_forgets_every_connection() {
        try (TestBroker broker = TestBroker.start("chat.service=", "cursors.service=",
                "datasync.dealers=All=broadcast:Task,Mine=filter:Task")) {
            List<Object> held = new ArrayList<>();
            TestIdentities identities = TestIdentities.install(broker.server(),
                    context -> keep(held, new ChatService("chat", context, 16)),
                    context -> keep(held, new CursorsService("cursors", context, 16, new SecureRandom())));
            List<WsTestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    WsTestClient client = broker.connect();
                    clients.add(client);
                    use(broker, client, i);
                }
                assertThat(sizes(broker, held).values()).anyMatch(size -> size > 0);
            } finally {
                clients.forEach(WsTestClient::close);
            }
            broker.awaitNoClients();
            Await.until("every service map is empty: " + sizes(broker, held), () ->
                    sizes(broker, held).values().stream().allMatch(size -> size == 0) && identities.sizeOnLoop(broker) == 0);
        }
    }

    private static void use(TestBroker broker, WsTestClient client, int i) {
        TestIdentities.login(client, "\"user" + (i % 10) + "\"");
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

    private static void expectResponse(com.fasterxml.jackson.databind.JsonNode reply) {
        assertThat(reply.at("/message/type").asText()).as(reply.toString()).isEqualTo("response");
    }

    private static <T> T keep(List<Object> held, T service) {
        held.add(service);
        return service;
    }

    private static Map<String, Integer> sizes(TestBroker broker, List<Object> held) {
        return broker.server().callOnLoop(() -> {
            Map<String, Integer> sizes = new java.util.TreeMap<>();
            ChatService chat = (ChatService) held.get(0);
            CursorsService cursors = (CursorsService) held.get(1);
            var registry = broker.server().publicRegistry();
            MessagingService messaging = (MessagingService) registry.service("messaging").orElseThrow();
            DataSyncService datasync = (DataSyncService) registry.service("datasync").orElseThrow();
            chat.stateSizes().forEach((k, v) -> sizes.put("chat." + k, v));
            cursors.stateSizes().forEach((k, v) -> sizes.put("cursors." + k, v));
            datasync.stateSizes().forEach((k, v) -> sizes.put("datasync." + k, v));
            sizes.put("messaging.participants", messaging.participantCount());
            sizes.put("messaging.clients", messaging.clientCount());
            Supplier<Integer> pubsubClients = () -> ((io.squall.core.service.pubsub.PubSubService) registry
                    .service("pubsub").orElseThrow()).subscribedClientCount();
            sizes.put("pubsub.clients", pubsubClients.get());
            return sizes;
        });
    }
}
