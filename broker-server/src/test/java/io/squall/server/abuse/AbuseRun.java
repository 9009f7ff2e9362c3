package io.squall.server.abuse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One attack against a broker of its own: start it, connect the probes, take the baseline, attack for the given
 * time, measure what the attack holds, let go, measure what is left. Survives a broker that dies or stops answering
 * on the way, and says so in {@link Figures#status()}.
 */
final class AbuseRun {
    /** Every attack, by name, in the order {@code all} runs them. */
    static final Map<String, Supplier<Attack>> ATTACKS = new java.util.LinkedHashMap<>();

    static {
        ATTACKS.put("ping-flood", PingFlood::new);
        ATTACKS.put("slowloris", Slowloris::new);
        ATTACKS.put("giant-headers", GiantHeaders::new);
        ATTACKS.put("fd-exhaustion", DescriptorExhaustion::new);
        ATTACKS.put("slow-consumers", SlowConsumers::new);
        ATTACKS.put("request-close", RequestClose::new);
        ATTACKS.put("churn", Churn::new);
    }

    /** Descriptors and threads a broker may keep above its baseline once the attackers left (the health probe's
     * connection, a worker thread started on demand). */
    static final int SETTLE_TOLERANCE = 4;
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final double MIB = 1024.0 * 1024.0;

    private AbuseRun() {}

    /**
     * Runs attack {@code name} for {@code duration} against {@code jar} started with {@code -Xmx<heap>} and the
     * configuration flags {@code extraArgs}; {@code build} labels the figures.
     */
    static Figures run(String name, String build, Path jar, String heap, Duration duration, List<String> extraArgs) {
        Attack attack = ATTACKS.get(name).get();
        AbuseTarget target;
        try {
            target = AbuseTarget.start(jar, heap, attack.descriptorLimit(), extraArgs);
        } catch (AssertionError | RuntimeException e) {
            return Figures.startFailed(name, build, String.valueOf(e.getMessage()).lines().findFirst().orElse("?"));
        }
        try (target) {
            return attack(attack, name, build, target, duration);
        }
    }

    private static Figures attack(Attack attack, String name, String build, AbuseTarget target, Duration duration) {
        Counts counts = new Counts();
        Probes probes;
        try {
            probes = Probes.start(target);
        } catch (AssertionError | RuntimeException e) {
            return Figures.startFailed(name, build, "probes: " + e.getMessage());
        }
        try {
            Probes.sleepMillis(500); // the probes' first publications
            double heapBase = target.heapAfterGc() / MIB;
            int fdsBase = target.descriptors();
            int threadsBase = target.threads();
            ProcessSampler sampler = ProcessSampler.start(target);
            Thread attacker = Thread.ofPlatform().daemon().name("abuse-" + name).start(() -> {
                try {
                    attack.run(target, System.nanoTime() + duration.toNanos(), counts);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            join(attacker, duration.plusSeconds(30));
            double heapHeld = target.heapAfterGc() / MIB;
            attack.release(counts);
            awaitSettled(target, fdsBase, threadsBase);
            double heapAfter = target.heapAfterGc() / MIB;
            int fdsAfter = target.descriptors();
            int threadsAfter = target.threads();
            sampler.close();
            String status = status(target, probes);
            probes.close(); // the last publications counted before the figures are read
            LatencyProbe latency = probes.latency();
            return new Figures(name, build, status, heapBase, sampler.heapPeak() / MIB, heapHeld, heapAfter, fdsBase,
                    sampler.fdsPeak(), fdsAfter, threadsBase, sampler.threadsPeak(), threadsAfter, probes.healthAsked(),
                    probes.healthMissed(), probes.healthLongestMissRun(), probes.healthSlowestMillis(),
                    latency.percentileMillis(50), latency.percentileMillis(99), latency.acked(), latency.lost(), counts);
        } finally {
            probes.close();
        }
    }

    /** "ok", or how the broker failed: exited (and why), or up but no longer answering {@code /health}. */
    private static String status(AbuseTarget target, Probes probes) {
        boolean oom = target.ranOutOfMemory();
        if (!target.alive()) {
            return "died (exit " + target.exitCode() + (oom ? ", OutOfMemoryError" : "") + ")";
        }
        boolean answering = Probes.healthAnswers(target.privatePort()) || Probes.healthAnswers(target.privatePort());
        if (!answering) {
            return "/health dead" + (oom ? " (OutOfMemoryError)" : "");
        }
        return oom ? "OutOfMemoryError, recovered" : Figures.OK;
    }

    /** Waits (up to 10 s) for the broker to close what the attackers left: descriptors and threads back near base. */
    private static void awaitSettled(AbuseTarget target, int fdsBase, int threadsBase) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() - deadline < 0 && target.alive()) {
            if (target.descriptors() <= fdsBase + SETTLE_TOLERANCE
                    && target.threads() <= threadsBase + SETTLE_TOLERANCE) {
                return;
            }
            Probes.sleepMillis(100);
        }
    }

    private static void join(Thread thread, Duration wait) {
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
