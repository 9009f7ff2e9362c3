package io.squall.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.squall.server.testing.RawWebSocket;
import io.squall.server.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Squall frames WebSockets itself after the handshake: what RFC 6455 asks of a server, seen from a raw client —
 * handshake refusals, close codes for broken frames, the closing handshake, pings, fragments and large frames.
 */
class WebSocketProtocolIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SUBSCRIBE =
            "{\"service\":\"pubsub\",\"message\":{\"command\":\"subscribe\",\"params\":{\"channel\":\"c\"},\"callId\":1}}";

    private TestBroker broker;

    @BeforeEach
    void start() {
        broker = TestBroker.start("max.frame.bytes=200000");
    }

    @AfterEach
    void stop() {
        broker.awaitNoClients();
        broker.close();
    }

    @Test
    void an_upgrade_with_another_version_gets_426_naming_13_and_a_bad_key_gets_400() {
        var version = RawWebSocket.handshakeOnly(broker.wsUri(), Map.of("Sec-WebSocket-Version", "8"));
        assertThat(version.status()).isEqualTo(426);
        assertThat(version.headers()).containsEntry("sec-websocket-version", "13");

        var key = RawWebSocket.handshakeOnly(broker.wsUri(), Map.of("Sec-WebSocket-Key", "not-a-key"));
        assertThat(key.status()).isEqualTo(400);

        var notUpgrade = RawWebSocket.handshakeOnly(broker.wsUri(), Map.of("Upgrade", "h2c"));
        assertThat(notUpgrade.status()).isEqualTo(400);
    }

    @Test
    void broken_frames_are_closed_with_the_code_rfc_6455_gives_them() {
        assertClosedWith(new byte[] {(byte) 0x81, 2, 'h', 'i'}, 1002); // unmasked
        assertClosedWith(FrameReaderTest.frame(0x1 | 0x20, true, "rsv2"), 1002);
        assertClosedWith(FrameReaderTest.frame(0xB, true, "opcode"), 1002);
        assertClosedWith(FrameReaderTest.frame(0x1, true, new byte[] {(byte) 0xFF}), 1007);
        assertClosedWith(FrameReaderTest.frame(0x8, true, new byte[] {0x03, (byte) 0xEE}), 1002); // code 1006
    }

    private void assertClosedWith(byte[] frame, int code) {
        try (RawWebSocket socket = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            socket.sendRaw(frame);
            assertThat(socket.awaitDisconnect(WAIT)).as("close code").isEqualTo(code);
        }
    }

    @Test
    void a_peer_that_vanishes_without_a_close_frame_is_forgotten_with_its_subscriptions() throws Exception {
        for (int i = 0; i < 20; i++) {
            Socket socket = rawUpgrade();
            socket.getOutputStream().write(FrameReaderTest.frame(0x1, true, SUBSCRIBE));
            socket.getOutputStream().flush();
            if (i % 2 == 0) {
                socket.shutdownOutput(); // end of stream, then the socket stays half-open on our side
            }
            socket.close();
        }
        broker.awaitNoClients(); // in stop(): fails unless every connection and registration is gone
    }

    private Socket rawUpgrade() throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", broker.wsUri().getPort()), 10_000);
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(("GET " + broker.wsUri().getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(RawWebSocket.readHead(socket.getInputStream()).status()).isEqualTo(101);
        return socket;
    }

    @Test
    void frames_sent_after_a_ping_and_a_pong_go_out_at_once_not_with_the_next_ping() {
        try (TestBroker pinging = TestBroker.start("ping.interval=3s", "pong.timeout=30s");
                RawWebSocket subscriber = RawWebSocket.connect(pinging.wsUri(), Map.of());
                RawWebSocket publisher = RawWebSocket.connect(pinging.wsUri(), Map.of())) {
            subscriber.sendText(SUBSCRIBE);
            assertThat(subscriber.nextText()).contains("\"type\":\"response\"");
            subscriber.sendFrame(RawWebSocket.PING, true, new byte[] {1}); // answered with a pong
            assertThat(subscriber.readFrame(WAIT).opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(subscriber.readFrame(WAIT).opcode()).as("the server's own ping").isEqualTo(RawWebSocket.PING);
            subscriber.sendFrame(RawWebSocket.PONG, true, new byte[0]);

            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                publisher.sendText(SUBSCRIBE.replace("subscribe", "publish").replace("\"channel\":\"c\"",
                        "\"channel\":\"c\",\"message\":" + i));
                var frame = subscriber.readFrame(WAIT);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(frame.opcode()).as("the publication, not a ping").isEqualTo(RawWebSocket.TEXT);
                assertThat(took).as("delivered at once, not held until the next ping").isLessThan(Duration.ofMillis(2500));
            }
        }
    }

    @Test
    void a_peer_close_is_echoed_and_the_server_ends_the_tcp_connection() {
        try (RawWebSocket socket = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            socket.sendClose(4321);
            assertThat(socket.awaitDisconnect(WAIT)).isEqualTo(4321);
        }
    }

    @Test
    void pings_are_answered_with_their_payload_and_fragments_and_large_frames_are_served() {
        try (RawWebSocket socket = RawWebSocket.connect(broker.wsUri(), Map.of())) {
            socket.sendFrame(RawWebSocket.PING, true, "marco".getBytes(StandardCharsets.UTF_8));
            var pong = socket.readFrame(WAIT);
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(pong.text()).isEqualTo("marco");

            byte[] subscribe = SUBSCRIBE.getBytes(StandardCharsets.UTF_8);
            socket.sendFrame(RawWebSocket.TEXT, false, java.util.Arrays.copyOfRange(subscribe, 0, 10));
            socket.sendFrame(RawWebSocket.PING, true, new byte[0]); // a control frame between fragments
            socket.sendFrame(0x0, true, java.util.Arrays.copyOfRange(subscribe, 10, subscribe.length));
            assertThat(socket.readFrame(WAIT).opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(socket.nextText()).contains("\"type\":\"response\"");

            String big = "z".repeat(150_000); // more than one write buffer, and a 64-bit length on the wire
            socket.sendText("{\"service\":\"pubsub\",\"message\":{\"command\":\"publish\",\"params\":"
                    + "{\"channel\":\"c\",\"message\":\"" + big + "\"},\"callId\":2}}");
            String first = socket.nextText();
            String second = socket.nextText();
            String publication = first.contains(big) ? first : second;
            assertThat(publication.contains(big)).as("the whole 150 kB publication arrived").isTrue();
            assertThat(publication.replace(big, "")).contains("\"type\":\"message\"");
            assertThat(first.contains(big) ? second : first).contains("\"type\":\"response\"");
        }
    }

    @Test
    void a_frame_sent_with_the_handshake_in_one_write_is_served() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", broker.wsUri().getPort()), 10_000);
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("GET " + broker.wsUri().getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(FrameReaderTest.frame(0x1, true, SUBSCRIBE));
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            var head = RawWebSocket.readHead(in);
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.headers()).containsEntry("sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            int b0 = in.read();
            int length = in.read();
            byte[] payload = in.readNBytes(length);
            assertThat(b0).isEqualTo(0x81);
            assertThat(new String(payload, StandardCharsets.UTF_8)).contains("\"type\":\"response\"");
            out.write(FrameReaderTest.frame(0x8, true, new byte[] {0x03, (byte) 0xE8}));
            out.flush();
        }
    }
}
