package io.squall.server.http;

import java.time.Duration;

/**
 * What a connection may send before it is a request, the same on both ports.
 *
 * @param headerTimeout how long a connection may take to send a whole request head: from its opening (the first
 *     head, kept by {@link ConnectionGate}), or once begun and from the end of the previous request (later heads,
 *     kept by Undertow)
 * @param maxHeaderBytes largest request head: request line and headers (400 and closed above)
 * @param maxPendingConnections connections of one port that have not sent a whole first request head yet
 * @param descriptorReserve file descriptors the public port leaves to the private one and the broker
 */
public record HttpLimits(Duration headerTimeout, int maxHeaderBytes, int maxPendingConnections,
        int descriptorReserve) {}
