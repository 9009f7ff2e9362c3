package io.squall.core.service.chat;

import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Chat timestamps: ISO-8601 in UTC with milliseconds, the form JavaScript's {@code Date.toISOString()} writes
 * ({@code 2026-01-01T12:00:00.000Z}). Snorky wrote the server's local time zone, which told clients nothing useful.
 */
final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final InstantSource clock;

    Timestamps(InstantSource clock) {
        this.clock = clock;
    }

    String now() {
        return FORMAT.format(clock.instant());
    }
}
