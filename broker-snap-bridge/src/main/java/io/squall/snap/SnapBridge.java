package io.squall.snap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.api.Cancellable;
import io.squall.api.Loop;
import io.squall.api.PeriodicCallback;
import io.squall.api.ServiceError;
import io.squall.api.ServiceException;
import io.squall.api.ServiceSetup;
import io.squall.snap.codec.SnapCodecs;
import io.squall.snap.codec.SnapFrameCodec;
import io.squall.snap.codec.SnapMessage;
import io.squall.snap.link.JSerialCommLink;
import io.squall.snap.link.PortClosedAtShutdownException;
import io.squall.snap.link.SerialLink;
import io.squall.snap.link.SerialWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SNAP mesh on the broker's event loop, the way SNAPconnect runs on Tornado's ioloop: serial input wakes the
 * loop (the link watches its descriptor and a {@link ReadWake} queues one read task for whatever has arrived), or,
 * where the link cannot watch (Windows) or {@code snap.read.mode=poll}, the loop polls the port every
 * {@code snap.poll.interval} (a non-blocking read costs about a microsecond). Either way the loop reads, decodes
 * and publishes; frames to nodes go to the serial writer's thread; a lost port is closed at once and reopened with
 * doubling backoff, resolving its path afresh. Every method runs on the loop unless it says otherwise.
 */
public final class SnapBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapBridge.class);
    private static final int READ_CHUNK = 4096;
    /** Reads per poll at most, so a flooding port cannot hold the loop. */
    private static final int MAX_READS_PER_POLL = 16;

    enum State { NEW, CONNECTING, UP, WAITING, STANDBY, CLOSED }

    private final SnapBridgeConfig config;
    private final Loop loop;
    private final ObjectMapper mapper;
    private final SerialLink link;
    private final SerialWriter writer;
    private final SnapFrameCodec codec;
    private final NodeDirectory directory;
    private final MeshPublisher publisher;
    private final SnapMetrics metrics;
    private final byte[] readBuffer = new byte[READ_CHUNK];
    private State state = State.NEW;
    private volatile boolean linkUp;
    private Duration backoff;
    private boolean lostBefore;
    private int failuresInARow;
    private int seq;
    private PeriodicCallback pollTask;
    private ReadWake wake;
    /** An open runs on the worker pool; a restart while it runs waits for it rather than open twice. */
    private boolean opening;
    /** How the port is read since the link last came up, and why, for {@code /health}. */
    private volatile String reading = "not yet open";
    /** Set by {@link #close}; read by an open running on a worker. */
    private volatile boolean closing;
    private volatile String readingWhy = "";
    private Cancellable retryTask;
    private PeriodicCallback sweepTask;
    /** Written frames' outcomes, from the writer's thread to the loop. */
    private final LoopRelay outcomes;

    /** A bridge run by the service that {@code setup} sets up: its loop, channels, meters and JSON mapper. */
    public SnapBridge(SnapBridgeConfig config, ServiceSetup setup, SerialLink link, SerialWriter writer,
            SnapFrameCodec codec) {
        this.config = config;
        this.loop = setup.loop();
        this.mapper = setup.json();
        this.link = link;
        this.writer = writer;
        this.codec = codec;
        this.directory = new NodeDirectory(config.nodeTimeout().toNanos(), config.maxNodes());
        this.publisher = new MeshPublisher(config, setup.channels(), mapper);
        this.metrics = new SnapMetrics(setup.meters(), this, codec.stats());
        this.backoff = config.reconnectMin();
        this.outcomes = new LoopRelay(loop);
    }

    /** The production bridge: jSerialComm on the configured path, a writer thread, the configured codec. */
    public static SnapBridge create(SnapBridgeConfig config, ServiceSetup setup) {
        return new SnapBridge(config, setup, new JSerialCommLink(config.serial()),
                SerialWriter.threaded(config.sendQueue()), SnapCodecs.create(config.codec()));
    }

    /**
     * Starts opening the port; the bridge keeps trying until {@link #standby} or {@link #close}. On several nodes
     * it runs only while this node owns the port, so it may start again after a standby.
     */
    public void start() {
        loop.checkInLoop();
        if (state != State.NEW && state != State.STANDBY) {
            throw new IllegalStateException("bridge already started");
        }
        Duration sweep = clamp(config.nodeTimeout().dividedBy(4), Duration.ofMillis(100), Duration.ofSeconds(5));
        sweepTask = loop.runPeriodically(sweep, this::sweep);
        if (opening) {
            state = State.CONNECTING; // the open still under way serves this start
        } else {
            open();
        }
    }

    /**
     * Another node owns the port now (or this one lost its claim): close the port and stop every task, publishing
     * nothing, until {@link #start} again. The node directory is forgotten: the next owner hears the mesh afresh.
     */
    public void standby() {
        loop.checkInLoop();
        if (state == State.NEW || state == State.STANDBY || state == State.CLOSED) {
            return;
        }
        state = State.STANDBY;
        linkUp = false;
        reading = "standby";
        readingWhy = "another node owns the port";
        stopReading();
        cancelTimers();
        if (!opening) {
            link.close(); // an open under way closes the port itself when it sees the standby
        }
        codec.reset();
        directory.clear();
        backoff = config.reconnectMin();
        failuresInARow = 0;
    }

    private void open() {
        state = State.CONNECTING;
        opening = true;
        ReadWake candidate = config.readMode() == ReadMode.POLL ? null : new ReadWake(loop, this::poll);
        loop.runOnExecutor(() -> {
            link.open();
            if (closing) { // closed meanwhile: a stopped service hears no result, so the worker closes the port
                link.close();
                return false;
            }
            // watched before the loop hears of the open: bytes waiting now signal at once, and poll() reads none
            // of them until up() (a signal before then only re-queues)
            return candidate != null && link.watch(candidate);
        }, (watching, failure) -> {
            opening = false;
            boolean refused = failure == null && !watching && config.readMode() == ReadMode.READINESS;
            boolean gone = state == State.CLOSED || state == State.STANDBY;
            if (gone || failure != null || refused) {
                if (candidate != null) {
                    candidate.close();
                }
                link.close(); // closed while opening, failed half-way, or readiness demanded and not offered
            }
            if (gone) {
                return;
            }
            if (failure != null) {
                retry(failure.getMessage());
            } else if (refused) {
                retry("snap.read.mode=readiness, but " + link.describe() + " cannot be watched");
            } else {
                up(watching ? candidate : null);
            }
        });
    }

    private void up(ReadWake watched) {
        state = State.UP;
        linkUp = true;
        failuresInARow = 0;
        backoff = config.reconnectMin();
        codec.reset();
        if (lostBefore) {
            metrics.reconnects.increment();
        }
        if (watched != null) {
            wake = watched;
            reading = "readiness";
            readingWhy = "serial input wakes the loop";
        } else {
            pollTask = loop.runPeriodically(config.pollInterval(), this::poll);
            reading = "poll";
            readingWhy = config.readMode() == ReadMode.POLL ? "snap.read.mode=poll"
                    : "the link cannot watch the port (Windows, or the listener was refused)";
        }
        log.info("SNAP link up on {} ({} codec; reading on {}: {})", link.describe(), codec.name(), reading,
                readingWhy);
        publisher.link(linkStatus("up", null));
        try {
            codec.onOpen(bytes -> send(bytes, outcome -> { }));
        } catch (RuntimeException e) {
            log.warn("SNAP codec {} failed its opening handshake", codec.name(), e);
        }
    }

    /** One read task (a poll tick, or a wake): drain what is waiting (bounded), decode, publish. */
    void poll() {
        if (state != State.UP) {
            return; // a wake that came before up() or after a loss: the port is not ours to read
        }
        metrics.readTasks.increment();
        for (int i = 0; i < MAX_READS_PER_POLL && state == State.UP; i++) {
            int n;
            try {
                n = link.read(readBuffer);
            } catch (PortClosedAtShutdownException e) {
                stopped(e.getMessage());
                return;
            } catch (IOException e) {
                lost(e.getMessage());
                return;
            }
            if (n <= 0) {
                return;
            }
            metrics.bytesIn.increment(n);
            codec.decode(readBuffer, 0, n, this::onMessage);
            if (n < readBuffer.length) {
                return;
            }
        }
    }

    private void onMessage(SnapMessage message) {
        var now = loop.now();
        NodeDirectory.Node joined = directory.heard(message.src(), message.function(), now, loop.nanoTime());
        if (joined != null) {
            publisher.nodeJoined(joined);
        }
        publisher.message(message, now);
    }

    private void sweep() {
        for (NodeDirectory.Node node : directory.sweep(loop.nanoTime())) {
            publisher.nodeLeft(node);
        }
    }

    /** The port failed: close it now (a dead port left open can spin a core) and reopen later. */
    private void lost(String reason) {
        if (state != State.UP) {
            return;
        }
        linkUp = false;
        lostBefore = true;
        stopReading();
        link.close();
        codec.reset();
        metrics.linkLost.increment();
        retry(reason);
    }

    /** The JVM is stopping and the port went with it: not an outage, so no report, no count, no reopening. */
    private void stopped(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        linkUp = false;
        stopReading();
        link.close();
        log.info("SNAP bridge stopped: {}", reason);
    }

    private void stopReading() {
        if (pollTask != null) {
            pollTask.stop();
            pollTask = null;
        }
        if (wake != null) {
            wake.close();
            wake = null;
        }
    }

    private void retry(String reason) {
        state = State.WAITING;
        Duration delay = backoff;
        backoff = clamp(backoff.multipliedBy(2), config.reconnectMin(), config.reconnectMax());
        if (failuresInARow++ == 0) {
            publisher.link(linkStatus("down", reason).put("retryInMillis", delay.toMillis()));
            log.warn("SNAP link down on {} ({}); reopening, first in {} ms", config.serial().path(), reason,
                    delay.toMillis());
        } else {
            log.debug("SNAP link still down on {} ({}); next try in {} ms", config.serial().path(), reason,
                    delay.toMillis());
        }
        retryTask = loop.runLater(delay, this::open);
    }

    /**
     * Encodes {@code message} and queues it for the port; {@code done} runs on the loop once it was handed over
     * (SNAPconnect's HOOK_RPC_SENT) or failed.
     *
     * @throws IllegalArgumentException when the codec cannot carry the message
     * @throws ServiceException {@link ServiceError#LINK_DOWN} or {@link ServiceError#SEND_QUEUE_FULL}: nothing was queued
     */
    void send(SnapMessage message, Consumer<SerialWriter.Outcome> done) {
        loop.checkInLoop();
        if (state != State.UP) {
            throw new ServiceException(ServiceError.LINK_DOWN);
        }
        send(codec.encode(message), done);
    }

    private void send(byte[] bytes, Consumer<SerialWriter.Outcome> done) {
        boolean queued = writer.submit(link, bytes, outcome -> outcomes.run(() -> written(outcome, done)));
        if (!queued) {
            throw new ServiceException(ServiceError.SEND_QUEUE_FULL);
        }
    }

    private void written(SerialWriter.Outcome outcome, Consumer<SerialWriter.Outcome> done) {
        if (outcome.written()) {
            metrics.framesOut.increment();
        } else if (outcome.failure() instanceof PortClosedAtShutdownException) {
            stopped(outcome.failure().getMessage());
        } else {
            metrics.writeErrors.increment();
            lost("write failed: " + outcome.failure().getMessage());
        }
        done.accept(outcome);
    }

    /** The next 8-bit sequence number for a host RPC. */
    int nextSeq() {
        return seq = (seq + 1) & 0xFF;
    }

    public boolean isLinkUp() {
        return linkUp;
    }

    /** True between {@link #start} and {@link #standby} or {@link #close}: this node runs the port. */
    public boolean isRunning() {
        return state != State.NEW && state != State.STANDBY && state != State.CLOSED;
    }

    int nodesOnline() {
        return directory.online();
    }

    SnapBridgeConfig config() {
        return config;
    }

    State state() {
        return state;
    }

    /** The node directory as JSON, least recently heard first. */
    ArrayNode nodesView() {
        return publisher.nodesView(directory.nodes());
    }

    ObjectNode linkStatus(String linkState, String reason) {
        return publisher.linkStatus(linkState, reason, loop.now());
    }

    /** For {@code /health}: link state and how the port is read. Any thread. */
    public ObjectNode healthView() {
        ObjectNode view = mapper.createObjectNode();
        view.put("link", linkUp ? "up" : "down");
        view.put("read", reading);
        view.put("readReason", readingWhy);
        return view;
    }

    /** Stops reading and retrying and closes the port and the writer. */
    @Override
    public void close() {
        loop.checkInLoop();
        closing = true;
        state = State.CLOSED;
        linkUp = false;
        stopReading();
        cancelTimers();
        link.close();
        writer.close();
    }

    private void cancelTimers() {
        if (retryTask != null) {
            retryTask.cancel();
        }
        if (sweepTask != null) {
            sweepTask.stop();
        }
        retryTask = null;
        sweepTask = null;
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }
}
