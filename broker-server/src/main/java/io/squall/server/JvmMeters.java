package io.squall.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/** The JVM's and the process's own meters: memory, GC, threads, classes, CPU, uptime, file descriptors. */
final class JvmMeters implements AutoCloseable {
    /** the only binder that listens (to GC notifications) and so must be closed */
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private JvmMeters() {
    }

    static JvmMeters bindTo(MeterRegistry meters) {
        JvmMeters jvm = new JvmMeters();
        new JvmMemoryMetrics().bindTo(meters);
        jvm.gc.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        return jvm;
    }

    @Override
    public void close() {
        gc.close();
    }
}
