package io.squall.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configuration key of a plugin.
 *
 * @param key the part after {@code plugin.<name>.}, lower-case words separated by dots, e.g. {@code poll.pause}
 * @param type what its value must be; checked at start
 * @param defaultValue the value when none is given (checked like a given one)
 * @param meaning one line for the plugin's docs
 */
public record PluginSetting(String key, Type type, String defaultValue, String meaning) {
    private static final Pattern KEY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)*");

    /** The kinds of value a key holds. */
    public enum Type {
        TEXT, INTEGER, BOOLEAN, DURATION
    }

    public PluginSetting {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(meaning, "meaning");
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a plugin key is lower-case words separated by dots, was '" + key + "'");
        }
    }
}
