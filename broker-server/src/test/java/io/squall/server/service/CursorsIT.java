package io.squall.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.json.Json;
import io.squall.core.service.cursors.CursorsService;
import io.squall.server.testing.Jwts;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cursors over real WebSockets. Identities are JSON objects held in a custom claim ({@code auth.identity.claim}),
 * one token signed by the test, one minted by the broker's {@code auth_backend}; a cursor's owner is that object.
 */
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
    void cursors_are_shared_with_the_other_clients_of_the_document() throws Exception {
        try (TestBroker broker = TestBroker.start("auth.jwt.secret=" + Jwts.SECRET, "auth.identity.claim=user")) {
            Map<String, Object> aliceClaim = new LinkedHashMap<>();
            aliceClaim.put("id", 1);
            aliceClaim.put("name", "Alice");
            String aliceToken = Jwts.hs256(Jwts.SECRET,
                    Jwts.claims("ignored-subject", Instant.now(), 300).claim("user", aliceClaim).build());
            String bobToken = broker.mintToken("{\"id\":2,\"name\":\"Bob\"}");
            try (WsTestClient alice = broker.connectWithBearer(aliceToken); WsTestClient bob = broker.connectWithToken(bobToken)) {
                alice.call("cursors", "join", "{\"document\":{\"sheet\":1}}", 0);
                bob.call("cursors", "join", "{\"document\":{\"sheet\":1}}", 0);

                int handle = alice.call("cursors", "createCursor",
                        "{\"privateHandle\":0,\"document\":{\"sheet\":1},\"position\":[3,4],\"status\":\"focused\"}", 1)
                        .at("/message/data").intValue();
                assertThat(bob.next()).isEqualTo(Json.mapper().readTree("{\"service\":\"cursors\",\"message\":{"
                        + "\"type\":\"cursorAdded\",\"cursor\":{\"publicHandle\":" + handle + ",\"document\":{\"sheet\":1},"
                        + "\"position\":[3,4],\"status\":\"focused\",\"owner\":{\"id\":1,\"name\":\"Alice\"}}}}"));

                alice.call("cursors", "updateCursor", "{\"privateHandle\":0,\"newData\":{\"position\":[5,6]}}", 2);
                assertThat(bob.next().at("/message/cursor/position").toString()).isEqualTo("[5,6]");

                int bobs = bob.call("cursors", "createCursor",
                        "{\"privateHandle\":0,\"document\":{\"sheet\":1},\"position\":[1,1],\"status\":null}", 1)
                        .at("/message/data").intValue();
                assertThat(bobs).as("public handles are unique in a document").isNotEqualTo(handle);
                JsonNode added = alice.next().at("/message/cursor/owner");
                assertThat(added).isEqualTo(Json.mapper().readTree("{\"id\":2,\"name\":\"Bob\"}"));

                alice.close();
                assertThat(bob.nextText()).isEqualTo("{\"service\":\"cursors\",\"message\":{\"type\":\"cursorRemoved\","
                        + "\"cursor\":{\"publicHandle\":" + handle + ",\"document\":{\"sheet\":1}}}}");
            }
            broker.awaitNoClients();
            assertThat(broker.server().callOnLoop(() -> ((CursorsService) broker.server().publicRegistry()
                    .service("cursors").orElseThrow()).stateSizes().values())).as("cursors hold nothing").containsOnly(0);
            assertThat(broker.server().callOnLoop(() -> broker.server().publicRegistry().identityCount())).isZero();
        }
    }
}
