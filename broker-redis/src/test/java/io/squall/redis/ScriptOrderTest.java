package io.squall.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.squall.core.broker.HistoryPolicy;
import io.squall.core.broker.PublishOptions;
import io.squall.api.JsonKey;
import io.squall.redis.testing.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Publishes pipelined into one channel, unawaited, take effect in the order they were made while Redis loses its
 * scripts mid-stream ({@code SCRIPT FLUSH}, as after a restart or a failover): a call that met NOSCRIPT and is
 * sent again must not be overtaken by a later one.
 */
class ScriptOrderTest {
    private static final PublishOptions HISTORY = PublishOptions.of(new HistoryPolicy(100, Duration.ofMinutes(5)));
    private static final int COUNT = 10_000;
    private static final int WINDOW = 300;
    private static final long FAILED = -1;
    private static final long UNANSWERED = 0;

    /** the first failure answered, for the assertion messages */
    private static final AtomicReference<Throwable> FIRST_FAILURE = new AtomicReference<>();
    private static RedisServer redis;
    private static Node a;
    private static Node b;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        a = new Node(RedisConfig.standalone(redis.uri(), "a"));
        b = new Node(RedisConfig.standalone(redis.uri(), "b"));
        a.awaitAvailable();
        b.awaitAvailable();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        redis.close();
    }

    @Test
    @Timeout(60)
    void pipelined_publishes_keep_their_order_while_redis_loses_its_scripts() throws Exception {
        JsonKey channel = JsonKey.of("flushed");
        a.subscribe(channel);
        long noScriptBefore = noScriptErrors();
        Flusher flusher = Flusher.start(redis.port());
        AtomicLongArray offsets = publishPipelined(a, channel);
        flusher.stop();
        long noScript = noScriptErrors() - noScriptBefore;

        List<Integer> published = inCallOrder(offsets);
        // one publisher, nothing else reloads the scripts: every call runs, none is turned away
        assertThat(published).as("calls that ran (first failure: %s)", FIRST_FAILURE.get()).hasSize(COUNT);
        Node.await(() -> a.deliveries(channel).size() == COUNT, "every publication delivered");
        assertThat(a.deliveries(channel)).extracting(delivery -> delivery.data().intValue()).isEqualTo(published);
        System.out.printf(Locale.ROOT, "script order: %d pipelined publishes, %d SCRIPT FLUSH, %d NOSCRIPT%n",
                COUNT, flusher.flushes.get(), noScript);
        assertThat(noScript).as("calls that met NOSCRIPT (else this test proves nothing)").isPositive();
    }

    @Test
    @Timeout(60)
    void two_nodes_reloading_the_script_for_each_other_never_reorder_either_publisher() throws Exception {
        JsonKey channel = JsonKey.of("flushed-two");
        a.subscribe(channel);
        Flusher flusher = Flusher.start(redis.port());
        CompletableFuture<AtomicLongArray> fromB = CompletableFuture.supplyAsync(() -> publishPipelined(b, channel));
        AtomicLongArray fromA = publishPipelined(a, channel);
        AtomicLongArray fromBDone = fromB.get(60, TimeUnit.SECONDS);
        flusher.stop();

        // a call may fail (Unavailable) when the other node's reload let a later call of this node run first;
        // what ran, ran in call order
        List<Integer> publishedA = inCallOrder(fromA);
        List<Integer> publishedB = inCallOrder(fromBDone);
        int total = publishedA.size() + publishedB.size();
        Node.await(() -> a.deliveries(channel).size() == total, "every publication delivered");
        List<Integer> seenA = new ArrayList<>();
        List<Integer> seenB = new ArrayList<>();
        a.deliveries(channel).forEach(delivery -> (delivery.data().intValue() < COUNT ? seenA : seenB)
                .add(delivery.data().intValue() % COUNT));
        assertThat(seenA).isEqualTo(publishedA);
        assertThat(seenB).isEqualTo(publishedB);
        System.out.printf(Locale.ROOT, "script order, two nodes: %d SCRIPT FLUSH, %d and %d of %d calls failed%n",
                flusher.flushes.get(), COUNT - publishedA.size(), COUNT - publishedB.size(), COUNT);
    }

    /**
     * Publishes {@code COUNT} values (node b adds {@code COUNT}) from the loop without waiting, keeping up to
     * {@code WINDOW} unanswered: calls keep going out while earlier answers come back. Answers each call's offset,
     * or {@link #FAILED}.
     */
    private static AtomicLongArray publishPipelined(Node node, JsonKey channel) {
        AtomicLongArray offsets = new AtomicLongArray(COUNT);
        AtomicInteger answered = new AtomicInteger();
        int base = node == a ? 0 : COUNT;
        int[] sent = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            int call = sent[0]++;
            node.broker.publish(channel, IntNode.valueOf(base + call), HISTORY, (result, failure) -> {
                if (failure != null) {
                    FIRST_FAILURE.compareAndSet(null, failure);
                }
                offsets.set(call, failure != null ? FAILED : result.position().offset());
                answered.incrementAndGet();
                if (sent[0] < COUNT) {
                    next[0].run();
                }
            });
        };
        node.loop.execute(() -> {
            while (sent[0] < Math.min(WINDOW, COUNT)) {
                next[0].run();
            }
        });
        Node.await(() -> answered.get() == COUNT, "every publish answered");
        return offsets;
    }

    /** The calls that succeeded, in call order, checking that their offsets grow in that order. */
    private static List<Integer> inCallOrder(AtomicLongArray offsets) {
        List<Integer> published = new ArrayList<>();
        long previous = 0;
        for (int call = 0; call < offsets.length(); call++) {
            long offset = offsets.get(call);
            assertThat(offset).as("call %d answered", call).isNotEqualTo(UNANSWERED);
            if (offset != FAILED) {
                assertThat(offset).as("offset of call %d after the previous call's %d", call, previous)
                        .isGreaterThan(previous);
                previous = offset;
                published.add(call);
            }
        }
        return published;
    }

    private static long noScriptErrors() {
        return redis.cli("INFO", "errorstats").lines()
                .filter(line -> line.startsWith("errorstat_NOSCRIPT:count="))
                .mapToLong(line -> Long.parseLong(line.substring("errorstat_NOSCRIPT:count=".length()).trim()))
                .sum();
    }

    /** Sends {@code SCRIPT FLUSH} every few milliseconds on a connection of its own until stopped. */
    private static final class Flusher implements Runnable {
        private static final byte[] FLUSH = "*2\r\n$6\r\nSCRIPT\r\n$5\r\nFLUSH\r\n".getBytes(StandardCharsets.US_ASCII);
        private final Socket socket;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger flushes = new AtomicInteger();
        private final Thread thread;

        private Flusher(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            thread = new Thread(this, "script-flusher");
        }

        static Flusher start(int port) throws IOException {
            Flusher flusher = new Flusher(port);
            flusher.thread.start();
            return flusher;
        }

        @Override
        public void run() {
            try (OutputStream out = socket.getOutputStream(); InputStream in = socket.getInputStream()) {
                byte[] reply = new byte[5]; // "+OK\r\n"
                while (running.get()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
                    out.write(FLUSH);
                    out.flush();
                    if (in.readNBytes(reply, 0, reply.length) != reply.length) {
                        return;
                    }
                    flushes.incrementAndGet();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void stop() throws Exception {
            running.set(false);
            thread.join(5_000);
            socket.close();
        }
    }
}
