package io.squall.bench.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one soak run does; every field has a default, {@code bin/soak --help} lists them.
 *
 * @param duration how long the traffic runs (then the run drains, checks and stops the broker)
 * @param jar the broker's runnable jar
 * @param java the {@code java} the broker runs on ({@code jcmd} is taken from the same directory)
 * @param xmx the broker's {@code -Xmx}
 * @param subscribers fan-out subscribers, each on one of {@code channels} channels
 * @param channels fan-out channels the backend WebSocket publishes on, round robin
 * @param rate publications per second on the backend WebSocket
 * @param httpRate publications per second over backend HTTP (batches of ten) on one more channel
 * @param churn connect, subscribe, receive, disconnect cycles started per second
 * @param abuseEvery how often a round of attacks (ping flood, slowloris and giant headers on both ports) starts
 * @param snapNodes simulated SNAP nodes writing SNAPB/1 frames into the pty
 * @param snapRate SNAP frames per second, over all nodes
 * @param snapSubscribers subscribers of the SNAP channels
 * @param sampleEvery how often the broker process is sampled
 * @param warmup samples before this are not used to judge trends
 * @param out where the broker's log and the samples go
 */
record SoakOptions(Duration duration, Path jar, Path java, String xmx, int subscribers, int channels, int rate,
        int httpRate, double churn, Duration abuseEvery, int snapNodes, int snapRate, int snapSubscribers,
        Duration sampleEvery, Duration warmup, Optional<Path> out) {

    static final String USAGE = """
            usage: bin/soak [--duration 2m|1h] [--option value ...]
              --duration 2m        how long traffic runs (ms, s, m, h)
              --jar PATH           broker jar (broker-server/target/broker-server.jar)
              --xmx 128m           the broker's heap
              --subscribers 200    fan-out subscribers      --channels 4    fan-out channels
              --rate 50            backend WebSocket publications/s     --http-rate 20  backend HTTP publications/s
              --churn 5            connect/subscribe/disconnect cycles/s
              --abuse-every 10s    a round of attacks (ping flood, slowloris, giant headers on both ports)
              --snap-nodes 3 --snap-rate 20 --snap-subscribers 10   SNAPB/1 traffic through a socat pty
              --sample 5s          sampling interval (default: duration/120, at least 5 s)
              --warmup 30s         samples ignored by the trend checks (default: duration/4, 20 s to 5 m)
              --out DIR            broker log and samples.csv (default: a new /tmp/squall-soak.* directory)
            """;

    static SoakOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                values.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        Map<String, String> left = new LinkedHashMap<>(values);
        Duration duration = duration(left.remove("duration"), "duration", Duration.ofMinutes(2));
        Duration sampleDefault = Duration.ofMillis(Math.max(5000, duration.toMillis() / 120));
        Duration warmupDefault = Duration.ofMillis(Math.min(300_000, Math.max(20_000, duration.toMillis() / 4)));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        SoakOptions options = new SoakOptions(duration,
                Path.of(Optional.ofNullable(left.remove("jar")).orElse("broker-server/target/broker-server.jar")),
                Optional.ofNullable(left.remove("java")).map(Path::of).orElse(java),
                Optional.ofNullable(left.remove("xmx")).orElse("128m"),
                integer(left.remove("subscribers"), "subscribers", 200),
                integer(left.remove("channels"), "channels", 4),
                integer(left.remove("rate"), "rate", 50),
                integer(left.remove("http-rate"), "http-rate", 20),
                Double.parseDouble(Optional.ofNullable(left.remove("churn")).orElse("5")),
                duration(left.remove("abuse-every"), "abuse-every", Duration.ofSeconds(10)),
                integer(left.remove("snap-nodes"), "snap-nodes", 3),
                integer(left.remove("snap-rate"), "snap-rate", 20),
                integer(left.remove("snap-subscribers"), "snap-subscribers", 10),
                duration(left.remove("sample"), "sample", sampleDefault),
                duration(left.remove("warmup"), "warmup", warmupDefault),
                Optional.ofNullable(left.remove("out")).map(Path::of));
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + left.keySet());
        }
        if (options.channels < 1 || options.subscribers < 1 || options.rate < 1 || options.snapNodes < 1
                || options.snapRate < 1 || options.httpRate < 10) {
            throw new IllegalArgumentException("subscribers, channels, rate, snap-nodes and snap-rate must be "
                    + "positive, http-rate at least 10");
        }
        return options;
    }

    Path jcmd() {
        return java.resolveSibling("jcmd");
    }

    static Duration duration(String text, String name, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            double number = Double.parseDouble(t.substring(0, t.length() - 1));
            long millis = switch (t.charAt(t.length() - 1)) {
                case 's' -> Math.round(number * 1000);
                case 'm' -> Math.round(number * 60_000);
                case 'h' -> Math.round(number * 3_600_000);
                default -> throw new NumberFormatException();
            };
            if (millis <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(millis);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + ": expected a duration like 90s, 2m or 1h, got " + text);
        }
    }

    private static int integer(String text, String name, int fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": expected a whole number, got " + text);
        }
    }
}
