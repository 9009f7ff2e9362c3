package io.squall.snap.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.squall.snap.testing.Socat;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jSerialComm link on a socat pty pair: reads, writes, unplug and replug by path, watching. */
class JSerialCommLinkIT {
    @TempDir
    Path dir;
    private Socat socat;
    private JSerialCommLink link;

    @BeforeEach
    void start() {
        socat = Socat.start(dir);
        link = new JSerialCommLink(SerialSettings.of(socat.bridgeEnd().toString(), 38400));
    }

    @AfterEach
    void stop() {
        link.close();
        socat.close();
    }

    @Test
    void bytes_written_on_the_node_end_are_read_without_blocking_and_all_byte_values_pass() throws IOException {
        link.open();
        assertThat(link.read(new byte[64])).as("nothing waiting: returns at once").isZero();
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        try (OutputStream node = new FileOutputStream(socat.nodeEnd().toFile())) {
            node.write(all);
        }
        byte[] got = readAtLeast(all.length);
        assertThat(got).isEqualTo(all);
    }

    @Test
    void writes_reach_the_node_end() throws IOException {
        link.open();
        try (InputStream node = new FileInputStream(socat.nodeEnd().toFile())) {
            link.write(new byte[] {0x7e, 0x7d, 0x00, (byte) 0xff});
            byte[] got = node.readNBytes(4);
            assertThat(got).containsExactly(0x7e, 0x7d, 0x00, 0xff);
        }
    }

    @Test
    void an_unplugged_port_fails_the_next_read_and_reopens_by_path_after_replug() throws IOException {
        link.open();
        socat.kill();

        assertThatThrownBy(() -> {
            for (int i = 0; i < 200; i++) {
                link.read(new byte[16]);
                Thread.sleep(10);
            }
        }).isInstanceOf(IOException.class);
        link.close();
        assertThatThrownBy(link::open).isInstanceOf(IOException.class);

        socat.restart();
        link.open();
        try (OutputStream node = new FileOutputStream(socat.nodeEnd().toFile())) {
            node.write(new byte[] {1, 2, 3});
        }
        assertThat(readAtLeast(3)).containsExactly(1, 2, 3);
    }

    @Test
    void a_watched_port_signals_when_bytes_arrive_or_it_hangs_up_and_never_while_silent() throws Exception {
        link.open();
        AtomicInteger signals = new AtomicInteger();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicBoolean failed = new AtomicBoolean();
        assertThat(link.watch(() -> {
            signals.incrementAndGet();
            byte[] buf = new byte[64];
            try {
                for (int n = link.read(buf); n > 0; n = link.read(buf)) {
                    synchronized (got) {
                        got.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                failed.set(true);
                LockSupport.parkNanos(1_000_000); // the hang-up repeats until the port is closed
            }
        })).isTrue();

        Thread.sleep(1_000);
        assertThat(signals.get()).as("signals while the port is silent").isZero();

        try (OutputStream node = new FileOutputStream(socat.nodeEnd().toFile())) {
            node.write(new byte[] {1, 2, 3});
        }
        awaitTrue(() -> {
            synchronized (got) {
                return got.size() == 3;
            }
        });
        assertThat(got.toByteArray()).containsExactly(1, 2, 3);
        assertThat(signals.get()).as("signals for three bytes written at once").isBetween(1, 3);

        socat.kill();
        awaitTrue(failed::get);
        link.close();
        assertThatThrownBy(link::open).as("waits for the old port's close, then finds the link dangling")
                .isInstanceOf(IOException.class);
        int afterClose = signals.get();
        Thread.sleep(300);
        assertThat(signals.get()).as("no signal once the port is closed").isEqualTo(afterClose);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s").isNegative();
            Thread.sleep(5);
        }
    }

    @Test
    void a_missing_path_is_an_io_exception() {
        JSerialCommLink missing = new JSerialCommLink(SerialSettings.of(dir.resolve("nothing").toString(), 38400));
        assertThatThrownBy(missing::open).isInstanceOf(IOException.class);
    }

    private byte[] readAtLeast(int n) throws IOException {
        byte[] got = new byte[0];
        byte[] buf = new byte[512];
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (got.length < n && System.nanoTime() - deadline < 0) {
            int r = link.read(buf);
            if (r > 0) {
                int old = got.length;
                got = Arrays.copyOf(got, old + r);
                System.arraycopy(buf, 0, got, old, r);
            } else {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
        return got;
    }
}
