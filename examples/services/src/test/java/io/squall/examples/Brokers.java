package io.squall.examples;

import io.squall.server.Squall;
import io.squall.server.testing.WsTestClient;
import java.net.URI;
import java.util.Map;

/** An embedded broker on loopback and free ports, and clients for it. */
final class Brokers {
    private Brokers() {}

    static Squall.Builder onLoopback() {
        return Squall.builder().args("--public.host=127.0.0.1", "--public.port=0", "--private.host=127.0.0.1",
                "--private.port=0", "--backend.key=examples-test-key-0123456789", "--shutdown.timeout=2s");
    }

    static WsTestClient connect(Squall squall) {
        return WsTestClient.connect(URI.create("ws://127.0.0.1:" + squall.publicPort() + "/ws"), Map.of());
    }

    static String call(int callId, String service, String command, String params) {
        return "{\"service\":\"" + service + "\",\"message\":{\"command\":\"" + command + "\",\"params\":" + params
                + ",\"callId\":" + callId + "}}";
    }
}
