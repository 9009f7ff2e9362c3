package io.squall.bench.stats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from Linux's {@code /proc}: the generator's own (to flag
 * client-bound results) and the broker's (passed in as a pid).
 */
public final class ProcStats {
    /** USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux the harness targets */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcStats() {}

    /** User plus system CPU time of {@code pid} in nanoseconds, or -1 when it cannot be read. */
    public static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // fields after "(comm)": state is field 3, utime 14 and stime 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size of {@code pid} in bytes ({@code VmRSS}), or -1. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"),
                    StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static long self() {
        return ProcessHandle.current().pid();
    }

    /** User plus system CPU time of several processes together, or -1 when one cannot be read. */
    public static long cpuNanos(long[] pids) {
        long sum = 0;
        for (long pid : pids) {
            long cpu = cpuNanos(pid);
            if (cpu < 0) {
                return -1;
            }
            sum += cpu;
        }
        return pids.length == 0 ? -1 : sum;
    }

    /** CPU use of a process (or of several together: a cluster's nodes and its Redis) over an interval. */
    public record Sample(long[] pids, long cpuNanos, long wallNanos) {
        public static Sample of(long pid) {
            return of(new long[] {pid});
        }

        public static Sample of(long[] pids) {
            return new Sample(pids.clone(), ProcStats.cpuNanos(pids), System.nanoTime());
        }

        /** Percent of one core used since this sample, or NaN when a process could not be read. */
        public double percentSince() {
            long cpu = ProcStats.cpuNanos(pids);
            long wall = System.nanoTime() - wallNanos;
            if (cpu < 0 || cpuNanos < 0 || wall <= 0) {
                return Double.NaN;
            }
            return 100.0 * (cpu - cpuNanos) / wall;
        }

        /** CPU nanoseconds used since this sample, or -1. */
        public long nanosSince() {
            long cpu = ProcStats.cpuNanos(pids);
            return cpu < 0 || cpuNanos < 0 ? -1 : cpu - cpuNanos;
        }
    }
}
