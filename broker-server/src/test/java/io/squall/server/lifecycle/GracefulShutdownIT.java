package io.squall.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.server.testing.Await;
import io.squall.server.testing.HangingService;
import io.squall.server.testing.LogWatch;
import io.squall.server.testing.TestBroker;
import io.squall.server.testing.WsTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code BrokerServer.close()}: 1001 to every socket, in-flight backend requests answered, then nothing listens. */
class GracefulShutdownIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LogWatch errors = LogWatch.errors();
    private TestBroker broker;

    @AfterEach
    void stop() {
        try {
            if (broker != null) {
                broker.close();
            }
            assertThat(errors.events()).as("a graceful stop logs no errors").isEmpty();
        } finally {
            errors.close();
        }
    }

    @Test
    void connected_clients_get_1001_and_close_returns_within_the_timeout() {
        broker = TestBroker.start("shutdown.timeout=30s");
        WsTestClient alice = broker.connect();
        WsTestClient bob = broker.connect();
        alice.call("pubsub", "subscribe", "{\"channel\":\"news\"}", 0);
        URI wsUri = broker.wsUri();
        URI health = broker.privateUri("/health");

        long millis = timeClose();

        assertThat(alice.awaitClose()).isEqualTo(1001);
        assertThat(bob.awaitClose()).isEqualTo(1001);
        assertThat(millis).as("clients that answer the close let close() return early").isLessThan(15_000);
        assertThat(broker.server().openConnections()).isZero();
        assertThatThrownBy(() -> WsTestClient.connect(wsUri, Map.of())).as("public port closed");
        assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())).as("private port closed");
        alice.close();
        bob.close();
    }

    @Test
    void a_client_that_never_answers_the_close_is_cut_at_the_shutdown_timeout() throws IOException {
        broker = TestBroker.start("shutdown.timeout=1s");
        try (Socket deaf = deafWebSocket(broker.server().publicPort())) {
            Await.until("connected", () -> broker.server().openConnections() == 1);

            long millis = timeClose();

            assertThat(millis).as("close() is bounded by shutdown.timeout").isBetween(900L, 8_000L);
            byte[] rest = deaf.getInputStream().readAllBytes(); // ends at EOF: the server cut the connection
            assertThat(rest).as("a close frame (opcode 8) was sent first").isNotEmpty();
            assertThat(rest[0] & 0x0f).isEqualTo(8);
        }
    }

    @Test
    void an_in_flight_backend_request_gets_timeout_before_the_server_stops() {
        broker = TestBroker.start("backend.deadline=2s", "shutdown.timeout=20s");
        HangingService hanging = HangingService.installPrivate(broker.server());
        CompletableFuture<Answer> pending = backendAsync(hang(1));
        hanging.awaitHeld(broker.server(), 1);

        long millis = timeClose();
        long closedAt = System.nanoTime();

        Answer answer = pending.orTimeout(15, TimeUnit.SECONDS).join();
        assertThat(answer.response().statusCode()).isEqualTo(200);
        assertThat(answer.response().body()).isEqualTo(
                "{\"service\":\"hanging\",\"message\":{\"type\":\"error\",\"callId\":1,\"message\":\"Timeout\"}}");
        assertThat(millis).as("close() waited for the request, not for the whole shutdown.timeout")
                .isBetween(1_500L, 15_000L);
        assertThat(TimeUnit.NANOSECONDS.toMillis(answer.atNanos() - closedAt))
                .as("the answer was written before close() returned (client-side delivery lag only)")
                .isLessThan(5_000L);
    }

    @Test
    void an_in_flight_backend_request_resolved_during_shutdown_gets_its_real_answer() {
        broker = TestBroker.start("backend.deadline=30s", "shutdown.timeout=20s");
        HangingService hanging = HangingService.installPrivate(broker.server());
        CompletableFuture<Answer> pending = backendAsync(hang(2));
        hanging.awaitHeld(broker.server(), 1);

        CompletableFuture<Long> closing = CompletableFuture.supplyAsync(this::timeClose);
        Await.until("shutdown started (new requests refused)", () -> broker.get("/health").statusCode() == 503);
        assertThat(pending).as("the in-flight request is not cut when shutdown starts").isNotDone();
        int answered = broker.server().callOnLoop(() -> hanging.resolveAll("done"));

        assertThat(answered).isEqualTo(1);
        Answer answer = pending.orTimeout(15, TimeUnit.SECONDS).join();
        assertThat(answer.response().statusCode()).isEqualTo(200);
        assertThat(answer.response().body()).isEqualTo(
                "{\"service\":\"hanging\",\"message\":{\"type\":\"response\",\"callId\":2,\"data\":\"done\"}}");
        assertThat(closing.orTimeout(25, TimeUnit.SECONDS).join()).as("close() returned once the request was done")
                .isLessThan(15_000L);
    }

    @Test
    void requests_and_handshakes_during_shutdown_are_refused_with_503() throws IOException {
        broker = TestBroker.start("backend.deadline=10s", "shutdown.timeout=3s");
        HangingService hanging = HangingService.installPrivate(broker.server());
        CompletableFuture<Answer> pending = backendAsync(hang(3));
        hanging.awaitHeld(broker.server(), 1);
        CompletableFuture<Long> closing = CompletableFuture.supplyAsync(this::timeClose);
        Await.until("shutdown started", () -> broker.get("/health/live").statusCode() == 503);

        HttpResponse<String> late = broker.backend(hang(4));
        String handshake;
        try (Socket socket = new Socket("127.0.0.1", broker.server().publicPort())) {
            handshake = handshake(socket); // raw: the JDK client waits for the connection to close on this answer
        }

        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(handshake).as("a new WebSocket during shutdown is refused").startsWith("HTTP/1.1 503");
        assertThat(broker.server().callOnLoop(hanging::heldCount)).as("the refused request never ran").isEqualTo(1);
        broker.server().callOnLoop(() -> hanging.resolveAll(null));
        assertThat(pending.orTimeout(15, TimeUnit.SECONDS).join().response().statusCode()).isEqualTo(200);
        closing.orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Test
    void a_request_still_open_at_the_shutdown_timeout_is_not_left_hanging() {
        broker = TestBroker.start("backend.deadline=30s", "shutdown.timeout=1s");
        HangingService hanging = HangingService.installPrivate(broker.server());
        CompletableFuture<Answer> pending = backendAsync(hang(5));
        hanging.awaitHeld(broker.server(), 1);

        long millis = timeClose();

        assertThat(millis).isLessThan(8_000L);
        String outcome = pending.handle((answer, error) -> error != null ? error.toString()
                : answer.response().statusCode() + " " + answer.response().body())
                .orTimeout(3, TimeUnit.SECONDS).join();
        System.out.println("request still open at the shutdown timeout ended with: " + outcome);
    }

    /** A WebSocket handshake over a raw socket that then never reads again (so it never answers a close). */
    private static Socket deafWebSocket(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        assertThat(handshake(socket)).startsWith("HTTP/1.1 101");
        return socket;
    }

    /** Sends a WebSocket upgrade for /ws on {@code socket} and returns the response head. */
    private static String handshake(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private long timeClose() {
        long start = System.nanoTime();
        broker.server().close();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private record Answer(HttpResponse<String> response, long atNanos) {}

    private CompletableFuture<Answer> backendAsync(String body) {
        HttpRequest request = HttpRequest.newBuilder(broker.privateUri("/backend"))
                .timeout(Duration.ofSeconds(20))
                .header("X-Backend-Key", TestBroker.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Answer(response, System.nanoTime()));
    }

    private static String hang(int callId) {
        return "{\"service\":\"hanging\",\"message\":{\"command\":\"hang\",\"params\":{},\"callId\":" + callId + "}}";
    }
}
