package io.squall.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The broker's HTTP listeners and the XNIO worker they share, assembled as {@code Undertow.builder()} does, by hand
 * so that a {@link ConnectionGate} stands in front of each listener's parser (the builder has no place for one).
 * Request heads are also limited with Undertow's own options: their size ({@code MAX_HEADER_SIZE}: 400 and the
 * connection closed above it) and, for heads after the first on a kept-alive connection, the idle time before them
 * ({@code NO_REQUEST_TIMEOUT}) and the time from their first byte ({@code REQUEST_PARSE_TIMEOUT}).
 */
public final class HttpListeners implements AutoCloseable {
    private static final long STOP_WAIT_SECONDS = 10;

    /**
     * One listener: its name in meters ({@code listener} tag), where it listens, its root handler, and whether it
     * refuses connections that would eat into the descriptor reserve (the public one), or may use it.
     */
    public record Door(String name, String host, int port, HttpHandler handler, boolean keepsReserve) {}

    private final XnioWorker worker;
    private final List<AcceptingChannel<StreamConnection>> channels = new ArrayList<>();

    private HttpListeners(XnioWorker worker) {
        this.worker = worker;
    }

    /** Binds every door (in order) and starts accepting; on failure nothing is left open. */
    public static HttpListeners start(int ioThreads, int workerThreads, HttpLimits limits, MeterRegistry meters,
            List<Door> doors) {
        DescriptorReserve descriptors = DescriptorReserve.ofProcess(limits.descriptorReserve());
        Xnio xnio = Xnio.getInstance(Undertow.class.getClassLoader());
        HttpListeners listeners;
        try {
            listeners = new HttpListeners(xnio.createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                    .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                    .set(Options.WORKER_TASK_CORE_THREADS, workerThreads)
                    .set(Options.WORKER_TASK_MAX_THREADS, workerThreads)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the IO threads", e);
        }
        try {
            ByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4); // Undertow's sizes
            for (Door door : doors) {
                listeners.listen(door, buffers, limits, descriptors, meters);
            }
        } catch (IOException | RuntimeException e) {
            listeners.close();
            throw e instanceof IOException io ? new UncheckedIOException(io.getMessage(), io) : (RuntimeException) e;
        }
        return listeners;
    }

    private void listen(Door door, ByteBufferPool buffers, HttpLimits limits, DescriptorReserve descriptors,
            MeterRegistry meters) throws IOException {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, limits.headerTimeout().toMillis());
        HttpOpenListener parser = new HttpOpenListener(buffers, OptionMap.builder()
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .set(UndertowOptions.MAX_HEADER_SIZE, limits.maxHeaderBytes())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, timeoutMillis)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, timeoutMillis)
                .getMap());
        ConnectionGate gate = new ConnectionGate(door.name(), parser, limits, descriptors, door.keepsReserve(), meters);
        parser.setRootHandler(gate.headsTo(door.handler()));
        OptionMap.Builder socket = OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BALANCING_TOKENS, 1)
                .set(Options.BALANCING_CONNECTIONS, 2)
                .set(Options.BACKLOG, 1000);
        if (door.keepsReserve()) {
            int cap = descriptors.publicListenerCap(); // past it, connections wait in the kernel's backlog
            socket.set(Options.CONNECTION_HIGH_WATER, cap).set(Options.CONNECTION_LOW_WATER, cap);
        }
        AcceptingChannel<StreamConnection> channel = worker.createStreamConnectionServer(
                new InetSocketAddress(InetAddress.getByName(door.host()), door.port()),
                ChannelListeners.openListenerAdapter(gate), socket.getMap());
        channels.add(channel);
        channel.resumeAccepts();
    }

    /** The counter of one listener's refusals for one reason ({@code broker.connections.refused}). */
    public static Counter refusals(MeterRegistry meters, String listener, String reason) {
        return ConnectionGate.refusedCounter(listener, reason, meters);
    }

    /** The address door {@code index} listens on (its real port when it was given 0). */
    public InetSocketAddress address(int index) {
        return channels.get(index).getLocalAddress(InetSocketAddress.class);
    }

    /** Stops accepting and stops the IO threads, which closes every connection still open. */
    @Override
    public void close() {
        channels.forEach(IoUtils::safeClose);
        worker.shutdown();
        try {
            if (!worker.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
