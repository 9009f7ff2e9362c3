package io.squall.server.http;

import com.sun.management.UnixOperatingSystemMXBean;
import io.squall.server.SuppressForbidden;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps file descriptors free for the private port (backends, {@code /health}) and the broker itself: the public
 * listener refuses new connections once the process's open descriptors reach its limit minus the reserve, so a
 * crowd on the public port can never leave the private one unable to accept. Counting the open descriptors means
 * listing {@code /proc/self/fd}, too slow for every accept once there are thousands; so the count is sampled at
 * most once a {@link #SAMPLE_NANOS}, and connections opened and closed on either port since are added or taken off.
 *
 * <p>That check runs once a connection has been accepted, and a burst of connections is accepted faster than the
 * IO threads can refuse them (700 at once ran a 512-descriptor process out); so the public listener also has a
 * hard cap, XNIO's high water mark, past which it does not accept at all: the descriptors free at start minus half
 * the reserve. The other half is the room refusals need while they are answered.
 */
final class DescriptorReserve {
    static final long SAMPLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier openDescriptors;
    private final LongSupplier nanoTime;
    private final long limit;
    private final int reserve;
    private final long ceiling; // the limit minus the reserve
    private final AtomicLong estimate = new AtomicLong();
    private final AtomicLong sampledAt;

    DescriptorReserve(LongSupplier openDescriptors, long limit, int reserve, LongSupplier nanoTime) {
        if (reserve >= limit) {
            throw new IllegalArgumentException("fd.reserve (" + reserve + ") must be below the process's descriptor "
                    + "limit (" + limit + "); raise the limit (ulimit -n) or lower the reserve");
        }
        this.openDescriptors = openDescriptors;
        this.nanoTime = nanoTime;
        this.limit = limit;
        this.reserve = reserve;
        this.ceiling = limit - reserve;
        this.sampledAt = new AtomicLong(nanoTime.getAsLong() - SAMPLE_NANOS);
    }

    /** The process's own counts; none (every connection admitted) where the JVM does not tell them. */
    @SuppressForbidden("the JDK's one source of the process's descriptor counts; absent where it is not Unix")
    static DescriptorReserve ofProcess(int reserve) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            return new DescriptorReserve(os::getOpenFileDescriptorCount, os.getMaxFileDescriptorCount(), reserve,
                    System::nanoTime);
        }
        return new DescriptorReserve(() -> 0, Long.MAX_VALUE, reserve, System::nanoTime);
    }

    /**
     * The most connections the public listener may hold, refusals being answered included: what is free now minus
     * half the reserve (at least 1).
     */
    int publicListenerCap() {
        long free = limit - openDescriptors.getAsLong() - reserve / 2;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, free));
    }

    /** Whether one more public connection leaves the reserve whole. */
    boolean admits() {
        long now = nanoTime.getAsLong();
        long last = sampledAt.get();
        if (now - last >= SAMPLE_NANOS && sampledAt.compareAndSet(last, now)) {
            estimate.set(openDescriptors.getAsLong());
        }
        return estimate.get() < ceiling;
    }

    /** A connection was accepted on either port (and holds a descriptor until {@link #closed}). */
    void opened() {
        estimate.incrementAndGet();
    }

    void closed() {
        estimate.decrementAndGet();
    }
}
