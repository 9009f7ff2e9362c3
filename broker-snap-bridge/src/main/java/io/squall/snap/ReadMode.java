package io.squall.snap;

import java.util.Locale;

/** How the bridge learns that the serial port has bytes waiting ({@code snap.read.mode}). */
public enum ReadMode {
    /** Readiness where the link offers it (Linux and other Unix), polling elsewhere. */
    AUTO,
    /** Readiness only: where the link cannot offer it the link stays down and says why. */
    READINESS,
    /** The loop reads the port every {@code snap.poll.interval}, as SNAPconnect does on Windows. */
    POLL;

    /** {@code auto}, {@code readiness} or {@code poll}, any case. */
    public static ReadMode parse(String text) {
        for (ReadMode mode : values()) {
            if (mode.key().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("snap.read.mode must be auto, readiness or poll, was '" + text + "'");
    }

    /** The config value. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
