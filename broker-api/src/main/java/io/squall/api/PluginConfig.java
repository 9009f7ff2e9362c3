package io.squall.api;

import java.time.Duration;

/**
 * A plugin's configuration, every declared key present (given or default) and already checked against its type.
 * Getters take the key without its {@code plugin.<name>.} prefix.
 */
public interface PluginConfig {

    String text(String key);

    int integer(String key);

    boolean bool(String key);

    /** {@code 500ms}, {@code 25s}, {@code 2m}, {@code 1h}, {@code 30d}, or ISO-8601 {@code PT25S}. */
    Duration duration(String key);
}
