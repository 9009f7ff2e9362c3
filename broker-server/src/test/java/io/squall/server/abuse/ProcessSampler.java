package io.squall.server.abuse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peaks of the broker's heap, descriptors and threads during an attack: {@code jstat -gc PID 250} streams the heap in
 * use four times a second (from the JVM's performance counters: no safepoint, nothing asked of the broker), and each
 * of its rows is paired with a look at {@code /proc/PID}.
 */
final class ProcessSampler implements AutoCloseable {
    private final AbuseTarget target;
    private final Process jstat;
    private final Thread reader;
    private final AtomicLong heapPeak = new AtomicLong(-1);
    private final AtomicInteger fdsPeak = new AtomicInteger(-1);
    private final AtomicInteger threadsPeak = new AtomicInteger(-1);

    private ProcessSampler(AbuseTarget target, Process jstat) {
        this.target = target;
        this.jstat = jstat;
        this.reader = new Thread(this::read, "abuse-sampler");
        reader.setDaemon(true);
    }

    static ProcessSampler start(AbuseTarget target) {
        Process jstat;
        try {
            jstat = new ProcessBuilder(JvmTools.tool("jstat"), "-gc", String.valueOf(target.pid()), "250")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jstat (a JDK, not a JRE, runs the abuse harness)", e);
        }
        ProcessSampler sampler = new ProcessSampler(target, jstat);
        sampler.reader.start();
        return sampler;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
                StandardCharsets.UTF_8))) {
            String header = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.contains("EU")) {
                    header = line;
                    continue;
                }
                if (header != null) {
                    long used = JvmTools.heapUsed(header, line);
                    heapPeak.accumulateAndGet(used, Math::max);
                }
                sampleProc();
            }
        } catch (IOException e) {
            // jstat stopped: the broker exited or the sampler was closed
        }
    }

    private void sampleProc() {
        fdsPeak.accumulateAndGet(target.descriptors(), Math::max);
        threadsPeak.accumulateAndGet(target.threads(), Math::max);
    }

    long heapPeak() {
        return heapPeak.get();
    }

    int fdsPeak() {
        return fdsPeak.get();
    }

    int threadsPeak() {
        return threadsPeak.get();
    }

    @Override
    public void close() {
        sampleProc();
        jstat.destroy();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
