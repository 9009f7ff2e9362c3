package io.squall.server.plugins;

import java.io.IOException;
import java.net.URLClassLoader;
import java.util.List;

/**
 * The services the plugins declared, each with where it came from (for error messages), and the class loaders to
 * close at stop.
 */
public record LoadedPlugins(List<Origin> services, List<URLClassLoader> loaders) implements AutoCloseable {
    public static final LoadedPlugins NONE = new LoadedPlugins(List.of(), List.of());

    /** A service binding and what declared it, e.g. {@code plugin 'device' (device.jar)}. */
    public record Origin(String origin, io.squall.api.ServiceBinding binding) {}

    public LoadedPlugins {
        services = List.copyOf(services);
        loaders = List.copyOf(loaders);
    }

    @Override
    public void close() {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                // nothing to do at stop: the jar stays open until the process ends
            }
        }
    }
}
