package io.squall.server.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.core.error.CloseCode;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code broker.connections.closed}: closed connections by the close code of their closing handshake, whoever sent
 * it first (the server, or the peer whose code it answered). The codes are a fixed set, each registered at start so a
 * rate reads 0 rather than nothing: every code Squall sends, 1005 for a peer's close frame without a code, 1006 for
 * a socket that ended without any close frame, and {@code other} for any other code a peer chose (a peer must not
 * be able to create series).
 */
final class CloseMeters {
    /** no close frame was sent or received (RFC 6455's 1006, "abnormal closure", never on the wire) */
    static final int ABNORMAL = 1006;
    static final int NO_STATUS = 1005;

    private final Map<Integer, Counter> byCode = new HashMap<>();
    private final Counter other;

    CloseMeters(String transport, MeterRegistry meters) {
        for (CloseCode code : CloseCode.values()) {
            byCode.put(code.code(), counter(transport, Integer.toString(code.code()), meters));
        }
        byCode.put(NO_STATUS, counter(transport, Integer.toString(NO_STATUS), meters));
        byCode.put(ABNORMAL, counter(transport, Integer.toString(ABNORMAL), meters));
        this.other = counter(transport, "other", meters);
    }

    private static Counter counter(String transport, String code, MeterRegistry meters) {
        return Counter.builder("broker.connections.closed")
                .description("Connections closed, by the close code of their closing handshake (1006: none)")
                .tag("transport", transport)
                .tag("code", code)
                .register(meters);
    }

    /** Any thread: one connection ended with {@code code} (0: without a close frame). */
    void closed(int code) {
        Counter counter = byCode.get(code == 0 ? ABNORMAL : code);
        (counter == null ? other : counter).increment();
    }
}
