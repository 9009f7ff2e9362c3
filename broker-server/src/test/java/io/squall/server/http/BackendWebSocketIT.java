package io.squall.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.server.testing.LogWatch;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /backend/ws} on the private port: the persistent backend socket into the private registry. */
class BackendWebSocketIT {
    private TestBroker broker;
    private LogWatch errors;

    @BeforeEach
    void start() {
        errors = LogWatch.errors();
        broker = TestBroker.start();
    }

    @AfterEach
    void stop() {
        broker.closeExpectingNoErrors(errors);
    }

    @Test
    void handshake_without_the_key_is_refused_with_401() {
        assertThat(handshakeStatus(broker.backendWsUri(), Map.of())).isEqualTo(401);
        assertThat(handshakeStatus(broker.backendWsUri(), Map.of("X-Backend-Key", "not-the-key-at-all"))).isEqualTo(401);
        assertThat(broker.server().openConnections()).isZero();
    }

    @Test
    void backend_socket_publishes_to_public_subscribers() {
        try (WsTestClient alice = broker.connect();
                WsTestClient backend = backendClient()) {
            alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);

            JsonNode reply = backend.call("pubsub_backend", "publish",
                    "{\"channel\":\"news\",\"message\":{\"n\":1}}", 11);

            assertThat(reply.toString()).isEqualTo(
                    "{\"service\":\"pubsub_backend\",\"message\":{\"type\":\"response\",\"callId\":11,\"data\":null}}");
            assertThat(alice.nextText()).isEqualTo(
                    "{\"service\":\"pubsub\",\"message\":{\"type\":\"message\",\"channel\":\"news\",\"message\":{\"n\":1}}}");
        }
    }

    @Test
    void backend_socket_reaches_only_the_private_registry() {
        try (WsTestClient backend = backendClient()) {
            JsonNode reply = backend.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 1);

            assertThat(reply.path("message").path("type").asText()).isEqualTo("error");
            assertThat(reply.path("message").path("message").asText()).isEqualTo("Unknown service");
        }
    }

    @Test
    void malformed_frame_gets_an_error_frame_and_the_connection_stays_usable() {
        try (WsTestClient alice = broker.connect();
                WsTestClient backend = backendClient()) {
            alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);

            backend.send("{not json");
            assertThat(backend.nextText()).isEqualTo(
                    "{\"service\":null,\"message\":{\"type\":\"error\",\"callId\":null,\"message\":\"Invalid JSON\"}}");
            backend.send("[1,2]");
            assertThat(backend.next().path("message").path("message").asText()).isEqualTo("Invalid envelope");

            JsonNode reply = backend.call("pubsub_backend", "publish", "{\"channel\":\"news\",\"message\":2}", 3);
            assertThat(reply.path("message").path("type").asText()).isEqualTo("response");
            assertThat(alice.next().path("message").path("message").asInt()).isEqualTo(2);
            assertThat(backend.isClosed()).isFalse();
        }
    }

    @Test
    void closing_the_backend_socket_leaves_no_client_behind() {
        WsTestClient backend = backendClient();
        backend.call("pubsub_backend", "publish", "{\"channel\":\"x\",\"message\":1}", 0);
        assertThat(broker.server().callOnLoop(() -> broker.server().privateRegistry().clientCount())).isEqualTo(1);

        backend.close();

        broker.awaitNoClients();
        assertThat(broker.server().openConnections()).isZero();
    }

    private WsTestClient backendClient() {
        return WsTestClient.connect(broker.backendWsUri(), Map.of("X-Backend-Key", TestBroker.KEY));
    }

    /** The HTTP status of a refused handshake; fails if the handshake succeeds. */
    static int handshakeStatus(URI uri, Map<String, String> headers) {
        Throwable failure = catchThrowable(() -> WsTestClient.connect(uri, headers).close());
        assertThat(failure).as("handshake should be refused").isNotNull();
        Throwable cause = failure;
        while (cause != null && !(cause instanceof WebSocketHandshakeException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("a WebSocketHandshakeException in %s", failure).isNotNull();
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }
}
