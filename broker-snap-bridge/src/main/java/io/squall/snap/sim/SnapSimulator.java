package io.squall.snap.sim;

import io.squall.snap.codec.SnapCodecs;
import io.squall.snap.codec.SnapFrameCodec;
import io.squall.snap.codec.SnapMessage;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small SNAP network behind a serial port: sensor nodes that report periodically and answer host RPCs, speaking
 * the configured codec over one end of a pty pair (plain file IO: a pty needs no line settings). It reopens the
 * port by path when it goes away, like the bridge, so a restarted socat is picked up. Run it with
 * {@code bin/squall-snap-demo}, or {@link #main} directly.
 */
public final class SnapSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapSimulator.class);

    private final Path port;
    private final String codecSpec;
    private final SnapFrameCodec codec;
    private final List<SimulatedNode> nodes = new ArrayList<>();
    private final Duration period;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "snap-sim"));
    private final Thread reader;
    private final List<Consumer<SnapMessage>> callListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private final Object writeLock = new Object();
    private volatile OutputStream out;
    private volatile boolean running = true;

    /**
     * @param nodes how many sensor nodes, addressed 5d.e6.63 upwards
     * @param period how often each node sends its status (staggered across the period)
     */
    public SnapSimulator(Path port, int nodes, Duration period, String codec) {
        this.port = port;
        this.period = period;
        this.codecSpec = codec;
        this.codec = SnapCodecs.create(codec);
        for (int i = 0; i < nodes; i++) {
            this.nodes.add(new SimulatedNode(0x5de663 + i, i));
        }
        this.reader = daemon(this::readLoop, "snap-sim-reader");
    }

    public SnapSimulator start() {
        reader.start();
        long step = Math.max(1, period.toMillis() / Math.max(1, nodes.size()));
        for (int i = 0; i < nodes.size(); i++) {
            SimulatedNode node = nodes.get(i);
            timer.scheduleAtFixedRate(() -> send(node.status()), step * i, period.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Host RPCs the nodes received, as they arrive (on the reader thread). */
    public void onHostCall(Consumer<SnapMessage> listener) {
        callListeners.add(listener);
    }

    public boolean led(int address) {
        return nodes.stream().filter(n -> n.address == address).findFirst().map(SimulatedNode::led).orElse(false);
    }

    public long framesSent() {
        return framesSent.get();
    }

    /** Frames that could not be written because the port was away. */
    public long framesDropped() {
        return framesDropped.get();
    }

    /** Sends a frame as if a node had (the codec runs under the write lock: it is not thread-safe). */
    public void send(SnapMessage message) {
        synchronized (writeLock) {
            OutputStream current = out;
            if (current == null) {
                framesDropped.incrementAndGet();
                return;
            }
            try {
                current.write(codec.encode(message));
                current.flush();
                framesSent.incrementAndGet();
            } catch (IOException e) {
                framesDropped.incrementAndGet();
            }
        }
    }

    private void readLoop() {
        byte[] buf = new byte[1024];
        SnapFrameCodec decoder = SnapCodecs.create(codecSpec);
        while (running) {
            try (InputStream in = new FileInputStream(port.toFile());
                    OutputStream opened = new FileOutputStream(port.toFile())) {
                out = opened;
                decoder.reset();
                log.info("simulator on {} with {} nodes", port, nodes.size());
                int n;
                while (running && (n = in.read(buf)) > 0) {
                    decoder.decode(buf, 0, n, this::hostCall);
                }
            } catch (IOException e) {
                log.debug("simulator port {} unavailable: {}", port, e.getMessage());
            } finally {
                out = null;
            }
            sleep(200);
        }
    }

    private void hostCall(SnapMessage call) {
        callListeners.forEach(listener -> listener.accept(call));
        for (SimulatedNode node : nodes) {
            boolean addressed = call.isMulticast() ? (call.dst() & 0x0001) != 0 : call.dst() == node.address;
            if (addressed) {
                SnapMessage answer = node.handle(call);
                if (answer != null) {
                    send(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
        reader.interrupt();
        // not under the write lock: a node's write may be blocked on a full pty and would hold close() forever
        OutputStream current = out;
        if (current != null) {
            try {
                current.close(); // the reader, a daemon, ends at its next read error or wake-up
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code SnapSimulator PORT [NODES [PERIOD_MS [CODEC]]]}: runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: SnapSimulator PORT [NODES [PERIOD_MS [CODEC]]]");
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Duration every = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 1000);
        String codecName = args.length > 3 ? args[3] : SnapCodecs.SNAPB1;
        try (SnapSimulator simulator = new SnapSimulator(Path.of(args[0]), count, every, codecName).start()) {
            Thread.currentThread().join(); // until the process is stopped
        }
    }
}
