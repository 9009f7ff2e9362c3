package io.squall.server.ws;

import java.time.Duration;

/**
 * Per-connection limits of a WebSocket endpoint.
 *
 * @param maxFrameBytes largest inbound text frame (1009 above)
 * @param maxQueuedBytes outbound bytes waiting before the connection is closed as a slow consumer (4001)
 * @param pingInterval how often an idle connection is pinged
 * @param pongTimeout how long a ping may go unanswered (4002 after)
 */
public record WsLimits(int maxFrameBytes, int maxQueuedBytes, Duration pingInterval, Duration pongTimeout) {}
