package io.squall.snap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.snap.codec.CodecStats;
import java.util.function.ToDoubleFunction;

/** The bridge's meters: frames in and out, dropped frames by reason, link losses, reconnects and link state. */
final class SnapMetrics {
    final Counter framesOut;
    final Counter bytesIn;
    final Counter linkLost;
    final Counter reconnects;
    final Counter writeErrors;
    final Counter readTasks;

    SnapMetrics(MeterRegistry registry, SnapBridge bridge, CodecStats stats) {
        FunctionCounter.builder("snap.frames.in", stats, CodecStats::frames)
                .description("Frames decoded from the serial link").register(registry);
        dropped(registry, stats, "crc", CodecStats::crcErrors);
        dropped(registry, stats, "framing", CodecStats::framingErrors);
        dropped(registry, stats, "oversize", CodecStats::oversizeFrames);
        dropped(registry, stats, "unsupported", CodecStats::unsupportedFrames);
        framesOut = Counter.builder("snap.frames.out").description("Frames handed to the serial port")
                .register(registry);
        bytesIn = Counter.builder("snap.bytes.in").description("Bytes read from the serial port").register(registry);
        linkLost = Counter.builder("snap.link.lost").description("Times the serial link was lost").register(registry);
        reconnects = Counter.builder("snap.reconnects").description("Times the serial link was reopened after a loss")
                .register(registry);
        writeErrors = Counter.builder("snap.write.errors").description("Frames the serial port refused")
                .register(registry);
        readTasks = Counter.builder("snap.read.tasks")
                .description("Loop tasks that read the serial port: poll ticks, or wake-ups by serial input")
                .register(registry);
        // the bridge is held strongly by the server for as long as these gauges matter
        Gauge.builder("snap.link.up", bridge, b -> b.isLinkUp() ? 1 : 0)
                .description("1 while the serial link is open").register(registry);
        Gauge.builder("snap.nodes.online", bridge, SnapBridge::nodesOnline)
                .description("Nodes heard within the node timeout").register(registry);
    }

    private static void dropped(MeterRegistry registry, CodecStats stats, String reason,
            ToDoubleFunction<CodecStats> count) {
        FunctionCounter.builder("snap.frames.dropped", stats, count)
                .description("Frames dropped by the codec, by reason").tag("reason", reason).register(registry);
    }
}
