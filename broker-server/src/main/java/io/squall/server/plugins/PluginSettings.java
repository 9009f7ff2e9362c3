package io.squall.server.plugins;

import io.squall.api.PluginConfig;
import io.squall.api.PluginSetting;
import io.squall.core.config.DurationText;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One plugin's configuration: its declared keys, each given ({@code plugin.<name>.<key>}) or defaulted, checked
 * against its type when built, so a bad value stops the start before the plugin runs.
 */
final class PluginSettings implements PluginConfig {
    private final String prefix;
    private final Map<String, PluginSetting> declared = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    /** @param given every {@code plugin.*} key of the configuration; this plugin takes the ones under its prefix */
    PluginSettings(String pluginName, List<PluginSetting> settings, Map<String, String> given) {
        this.prefix = "plugin." + pluginName + ".";
        for (PluginSetting setting : settings) {
            if (declared.put(setting.key(), setting) != null) {
                throw new IllegalArgumentException("declares the key " + prefix + setting.key() + " twice");
            }
            values.put(setting.key(), setting.defaultValue());
        }
        given.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                String own = key.substring(prefix.length());
                if (!declared.containsKey(own)) {
                    throw new IllegalArgumentException("unknown key " + key + " (it declares "
                            + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet().stream()
                                    .map(k -> prefix + k).toList())) + ")");
                }
                values.put(own, value);
            }
        });
        declared.values().forEach(setting -> check(setting, values.get(setting.key())));
    }

    /** The part of {@code key} that names a plugin, for keys no loaded plugin claims. */
    static boolean claims(String pluginName, String key) {
        return key.startsWith("plugin." + pluginName + ".");
    }

    private void check(PluginSetting setting, String value) {
        switch (setting.type()) {
            case TEXT -> { }
            case INTEGER -> parseInt(setting.key(), value);
            case BOOLEAN -> parseBool(setting.key(), value);
            case DURATION -> parseDuration(setting.key(), value);
            default -> throw new IllegalStateException("unknown type " + setting.type());
        }
    }

    private String value(String key, PluginSetting.Type type) {
        PluginSetting setting = declared.get(key);
        if (setting == null) {
            throw new IllegalArgumentException(prefix + key + " is not a declared key");
        }
        if (setting.type() != type) {
            throw new IllegalArgumentException(prefix + key + " is declared " + setting.type() + ", read as " + type);
        }
        return values.get(key);
    }

    @Override
    public String text(String key) {
        return value(key, PluginSetting.Type.TEXT);
    }

    @Override
    public int integer(String key) {
        return parseInt(key, value(key, PluginSetting.Type.INTEGER));
    }

    @Override
    public boolean bool(String key) {
        return parseBool(key, value(key, PluginSetting.Type.BOOLEAN));
    }

    @Override
    public Duration duration(String key) {
        return parseDuration(key, value(key, PluginSetting.Type.DURATION));
    }

    private int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a whole number");
        }
    }

    private boolean parseBool(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value, "true or false");
        };
    }

    private Duration parseDuration(String key, String value) {
        try {
            return DurationText.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(key, value, "a duration such as 500ms, 25s, 2m");
        }
    }

    private IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException(prefix + key + " must be " + expected + ", was '" + value + "'");
    }
}
