package io.squall.snap.link;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortDataListener;
import com.fazecast.jSerialComm.SerialPortEvent;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import com.fazecast.jSerialComm.SerialPortThreadFactory;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link SerialLink} over jSerialComm: the only class that imports it. Behaviour measured on Linux ptys (see
 * docs/snap.md): a new {@link SerialPort} is made on every open, because {@code getCommPort} resolves a symlink
 * once and a stale object would reopen the old device; reads are non-blocking and a vanished port reads -1
 * (EIO), upon which the bridge closes it at once; a dead port's write returns 0, never -1, so anything short of
 * the full length is a failure. {@link #watch} registers a data-available and disconnect listener: jSerialComm
 * runs one event thread per open port, which sits in {@code poll(2)} on the descriptor (waking every 500 ms
 * inside native code only) and calls the listener when bytes are waiting or the port hung up; both signals are
 * level-triggered and repeat until the bytes are read or the port is closed, which the bridge's wake absorbs.
 */
public final class JSerialCommLink implements SerialLink {
    /** Set by a hook jSerialComm runs just before its own shutdown hook closes every port. */
    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    /** SNAPconnect polls on Windows; so does the bridge (the readiness path is measured on Linux only). */
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private final SerialSettings settings;
    private volatile SerialPort port;
    /** The port whose event thread runs, if any. */
    private volatile SerialPort watched;
    /** The thread closing the last watched port, which {@link #open} waits for. */
    private volatile Thread closing;

    public JSerialCommLink(SerialSettings settings) {
        this.settings = settings;
        if (HOOKED.compareAndSet(false, true)) {
            SerialPort.addShutdownHook(new Thread(() -> SHUTTING_DOWN.set(true), "snap-serial-shutdown"));
            // the library's event threads are not daemons by default: an unclosed port would keep the JVM alive
            SerialPortThreadFactory.set(task -> {
                Thread thread = new Thread(task, "snap-serial-events");
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** A failure of {@code current}: an outage, or the library closing ports at JVM shutdown. */
    private IOException failure(String what) {
        if (SHUTTING_DOWN.get()) {
            return new PortClosedAtShutdownException(settings.path());
        }
        return new IOException(what);
    }

    @Override
    public void open() throws IOException {
        Thread previous = closing;
        if (previous != null) {
            try {
                previous.join(); // the same device, possibly opened exclusively, is about to be opened again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while " + settings.path() + " was closing", e);
            }
        }
        SerialPort fresh;
        try {
            fresh = SerialPort.getCommPort(settings.path());
        } catch (SerialPortInvalidPortException e) {
            throw new IOException(settings.path() + " does not exist", e);
        }
        fresh.setComPortParameters(settings.baudRate(), settings.dataBits(), stopBits(), parity());
        fresh.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        // reads never block (the loop polls); writes block on the writer thread, at most writeTimeout
        fresh.setComPortTimeouts(SerialPort.TIMEOUT_NONBLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 0,
                (int) settings.writeTimeout().toMillis());
        if (!fresh.openPort()) {
            // a nonzero last error after a successful open is harmless on ptys (ENOTTY); after a failed one it says why
            throw new IOException("cannot open " + settings.path() + " (" + fresh.getSystemPortPath()
                    + ", error " + fresh.getLastErrorCode() + "; busy, or no permission?)");
        }
        fresh.flushIOBuffers(); // stale bytes from before the bridge opened are not live data
        port = fresh;
    }

    @Override
    public int read(byte[] buf) throws IOException {
        SerialPort current = port;
        if (current == null) {
            throw new IOException("port closed");
        }
        int available = current.bytesAvailable();
        if (available < 0) {
            throw failure(settings.path() + " disconnected (error " + current.getLastErrorCode() + ")");
        }
        if (available == 0) {
            return 0;
        }
        int read = current.readBytes(buf, Math.min(available, buf.length));
        if (read < 0) {
            throw failure(settings.path() + " disconnected (error " + current.getLastErrorCode() + ")");
        }
        return read;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        SerialPort current = port;
        if (current == null) {
            throw new IOException("port closed");
        }
        int written = 0;
        while (written < bytes.length) {
            int n = current.writeBytes(bytes, bytes.length - written, written);
            if (n <= 0) {
                throw failure("write to " + settings.path() + " failed after " + written + " of "
                        + bytes.length + " bytes (error " + current.getLastErrorCode() + ")");
            }
            written += n;
        }
    }

    @Override
    public boolean watch(Runnable readable) {
        SerialPort current = port;
        if (current == null || WINDOWS) {
            return false;
        }
        boolean added = current.addDataListener(new SerialPortDataListener() {
            @Override
            public int getListeningEvents() {
                return SerialPort.LISTENING_EVENT_DATA_AVAILABLE | SerialPort.LISTENING_EVENT_PORT_DISCONNECTED;
            }

            @Override
            public void serialEvent(SerialPortEvent event) {
                readable.run(); // a disconnect too: the loop's next read fails and closes the port
            }
        });
        if (added) {
            watched = current;
        }
        return added;
    }

    @Override
    public void close() {
        SerialPort current = port;
        port = null;
        if (current == null) {
            return;
        }
        if (current == watched) {
            watched = null;
            // closing joins the event thread, which a silent port keeps up to 500 ms in poll(2): not on the loop
            Thread closer = new Thread(current::closePort, "snap-serial-close");
            closer.setDaemon(true);
            closing = closer;
            closer.start();
        } else {
            current.closePort();
        }
    }

    @Override
    public String describe() {
        SerialPort current = port;
        return current == null ? settings.path() : settings.path() + " (" + current.getSystemPortPath() + ")";
    }

    private int stopBits() {
        return switch (settings.stopBits()) {
            case ONE -> SerialPort.ONE_STOP_BIT;
            case ONE_POINT_FIVE -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case TWO -> SerialPort.TWO_STOP_BITS;
        };
    }

    private int parity() {
        return switch (settings.parity()) {
            case NONE -> SerialPort.NO_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
            case MARK -> SerialPort.MARK_PARITY;
            case SPACE -> SerialPort.SPACE_PARITY;
        };
    }
}
