package io.squall.api;

import java.util.List;

/**
 * A plugin: a jar in {@code plugins.dir} that lists its implementation in
 * {@code META-INF/services/io.squall.api.SquallPlugin} (Java's {@link java.util.ServiceLoader}). It declares its
 * configuration keys, read as {@code plugin.<name>.<key>} (env {@code SQUALL_PLUGIN_<NAME>_<KEY>}), and the services
 * it runs. The broker validates the keys before it asks for the services; any failure stops the start with a message
 * naming the plugin.
 */
public interface SquallPlugin {

    /** Lower-case letters, digits and {@code -}: the middle of its keys, {@code plugin.<name>.*}. */
    String name();

    /** The keys it reads, with their defaults and meaning (its docs' table). An undeclared key stops the start. */
    default List<PluginSetting> settings() {
        return List.of();
    }

    /** Its services, built from its validated configuration. Throw {@link IllegalArgumentException} to refuse it. */
    List<ServiceBinding> services(PluginConfig config);
}
