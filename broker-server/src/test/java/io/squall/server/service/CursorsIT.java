package io.squall.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.service.cursors.CursorsService;
import io.squall.server.testing.Await;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.TestIdentities;
import io.squall.server.testing.WsTestClient;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Cursors over real WebSockets (identities from the test stand-in until handshake authentication is in place). */
class CursorsIT {

    @Test
    void an_anonymous_connection_is_answered_not_authenticated() {
        try (TestBroker broker = TestBroker.start(); WsTestClient anonymous = broker.connect()) {
            assertThat(anonymous.call("cursors", "join", "{\"document\":\"Sheet1\"}", 0).toString())
                    .isEqualTo("{\"service\":\"cursors\",\"message\":{\"type\":\"error\",\"callId\":0,"
                            + "\"message\":\"Not authenticated\"}}");
        }
    }

    @Test
    void cursors_are_shared_with_the_other_clients_of_the_document() {
        try (TestBroker broker = TestBroker.start("cursors.service=")) {
            TestIdentities identities = TestIdentities.install(broker.server(),
                    context -> new CursorsService("cursors", context, 16, new SecureRandom()));
            try (WsTestClient alice = broker.connect(); WsTestClient bob = broker.connect()) {
                TestIdentities.login(alice, "\"Alice\"");
                TestIdentities.login(bob, "{\"id\":2,\"name\":\"Bob\"}");
                alice.call("cursors", "join", "{\"document\":{\"sheet\":1}}", 0);
                bob.call("cursors", "join", "{\"document\":{\"sheet\":1}}", 0);

                int handle = alice.call("cursors", "createCursor",
                        "{\"privateHandle\":0,\"document\":{\"sheet\":1},\"position\":[3,4],\"status\":\"focused\"}", 1)
                        .at("/message/data").intValue();
                assertThat(bob.nextText()).isEqualTo("{\"service\":\"cursors\",\"message\":{\"type\":\"cursorAdded\","
                        + "\"cursor\":{\"publicHandle\":" + handle + ",\"document\":{\"sheet\":1},\"position\":[3,4],"
                        + "\"status\":\"focused\",\"owner\":\"Alice\"}}}");

                alice.call("cursors", "updateCursor", "{\"privateHandle\":0,\"newData\":{\"position\":[5,6]}}", 2);
                assertThat(bob.next().at("/message/cursor/position").toString()).isEqualTo("[5,6]");

                int bobs = bob.call("cursors", "createCursor",
                        "{\"privateHandle\":0,\"document\":{\"sheet\":1},\"position\":[1,1],\"status\":null}", 1)
                        .at("/message/data").intValue();
                assertThat(bobs).as("public handles are unique in a document").isNotEqualTo(handle);
                JsonNode added = alice.next().at("/message/cursor/owner");
                assertThat(added.toString()).isEqualTo("{\"id\":2,\"name\":\"Bob\"}");

                alice.close();
                assertThat(bob.nextText()).isEqualTo("{\"service\":\"cursors\",\"message\":{\"type\":\"cursorRemoved\","
                        + "\"cursor\":{\"publicHandle\":" + handle + ",\"document\":{\"sheet\":1}}}}");
            }
            broker.awaitNoClients();
            Await.until("cursors hold nothing", () -> identities.sizeOnLoop(broker) == 0);
        }
    }
}
