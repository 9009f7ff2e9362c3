package io.squall.snap.link;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How to open the port.
 *
 * @param path the device path (or symlink), e.g. {@code /dev/snap1}, {@code /dev/ttyUSB0}, a pty link
 * @param baudRate bits per second (SNAP's default is 38400; a pty ignores it)
 * @param dataBits 5 to 8
 * @param parity none, even, odd, mark or space
 * @param stopBits 1, 1.5 or 2
 * @param writeTimeout longest a write may block before the port is considered stuck
 */
public record SerialSettings(String path, int baudRate, int dataBits, Parity parity, StopBits stopBits,
        Duration writeTimeout) {

    /** Parity bit settings. */
    public enum Parity { NONE, EVEN, ODD, MARK, SPACE;

        public static Parity parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("snap.parity must be none, even, odd, mark or space, was '"
                        + text + "'", e);
            }
        }
    }

    /** Stop bit settings. */
    public enum StopBits { ONE, ONE_POINT_FIVE, TWO;

        public static StopBits parse(String text) {
            return switch (text.trim()) {
                case "1" -> ONE;
                case "1.5" -> ONE_POINT_FIVE;
                case "2" -> TWO;
                default -> throw new IllegalArgumentException("snap.stop.bits must be 1, 1.5 or 2, was '" + text + "'");
            };
        }
    }

    public SerialSettings {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("snap.port must name a device path");
        }
        if (baudRate < 50 || baudRate > 4_000_000) {
            throw new IllegalArgumentException("snap.baud must be 50-4000000, was " + baudRate);
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("snap.data.bits must be 5-8, was " + dataBits);
        }
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(stopBits, "stopBits");
        if (writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("snap.write.timeout must be positive, was " + writeTimeout);
        }
    }

    /** 8N1 at {@code baudRate}. */
    public static SerialSettings of(String path, int baudRate) {
        return new SerialSettings(path, baudRate, 8, Parity.NONE, StopBits.ONE, Duration.ofSeconds(2));
    }
}
