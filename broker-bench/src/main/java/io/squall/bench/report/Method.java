package io.squall.bench.report;

/** The method paragraph of the report: how every figure was taken, so a reader can judge it. */
final class Method {
    static final String TEXT = """
            ## Method

            - One generator process (Netty, native epoll, one event-loop thread) holds the publisher and every subscriber, so
              publish and receive times share one clock. Each payload carries its **intended** send time (publication
              `k` of a step is due at `start + k/rate`); latency is measured from that time with HdrHistogram, so a
              stalled broker or publisher shows as latency, not as missing samples (no coordinated omission).
            - The broker runs on core 0 and the generator on core 1 (`taskset`). Server CPU and RSS come from
              `/proc/<pid>`; client CPU is the generator's own process CPU time. A row whose generator used more than
              70 % of its core is marked **client-bound**: its rate is a lower bound of what the broker can do.
            - Every step checks delivered == published × subscribers within the step plus a drain window; anything
              missing is reported as lost. Stepping stops at the first saturated step (losses, disconnects, or
              under 90 % of the asked rate).
            - Squall: subscribers on the public WebSocket (Snorky's `pubsub`), the publisher on the private backend
              WebSocket (`pubsub_backend`), ingest also over backend HTTP batches. NATS: its text protocol in
              WebSocket frames on its WebSocket listener (PING/PONG confirms subscriptions and ingest units).
              Mosquitto: MQTT 3.1.1 QoS 0 over WebSocket (PINGREQ/PINGRESP confirms ingest units). Configs are in
              `bench/`.
            - Idle: logged-in connections without subscriptions; RSS per connection is the broker's RSS growth over
              its baseline divided by the connections (after a full GC for Squall), kernel socket memory (~4 KB
              each) not included. Each process may hold at most 20,000 descriptors, so the generator holds up to
              9,500 connections itself and a second generator process holds the rest: the broker's count is what
              is measured.
            """;

    private Method() {}
}
