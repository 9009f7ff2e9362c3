package io.squall.server.plugins;

import io.squall.api.ServiceBinding;
import io.squall.api.SquallPlugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the plugins in {@code plugins.dir}: every {@code *.jar}, each in a class loader of its own (its classes cannot
 * clash with another plugin's), its {@link SquallPlugin}s found with {@link ServiceLoader}. Everything is checked
 * before the broker starts anything; the first fault stops the start with an {@link IllegalArgumentException} that
 * names the jar and the plugin.
 */
public final class PluginLoader {
    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private PluginLoader() {}

    public static LoadedPlugins load(Path dir, Map<String, String> settings) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("plugins.dir " + dir + " is not a directory");
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("plugins.dir " + dir + " cannot be listed: " + e.getMessage(), e);
        }
        List<LoadedPlugins.Origin> services = new ArrayList<>();
        List<URLClassLoader> loaders = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try {
            for (Path jar : jars) {
                listed(jar); // fails here, naming the jar, rather than later on a class
                URLClassLoader loader = open(jar);
                loaders.add(loader);
                for (SquallPlugin plugin : plugins(jar, loader)) {
                    services.addAll(start(plugin, jar, settings, names));
                }
            }
            settings.keySet().stream().filter(key -> names.stream().noneMatch(n -> PluginSettings.claims(n, key)))
                    .findFirst().ifPresent(key -> {
                        throw new IllegalArgumentException("configuration key " + key + ": no plugin of that name in "
                                + "plugins.dir " + dir + (names.isEmpty() ? "" : " (plugins: " + names + ")"));
                    });
        } catch (RuntimeException e) {
            new LoadedPlugins(List.of(), loaders).close();
            throw e;
        }
        return new LoadedPlugins(services, loaders);
    }

    private static final String SERVICES_ENTRY = "META-INF/services/" + SquallPlugin.class.getName();

    /** The plugin classes the jar itself lists (ServiceLoader's file format: one per line, {@code #} comments). */
    private static Set<String> listed(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            var entry = file.getEntry(SERVICES_ENTRY);
            if (entry == null) {
                return Set.of();
            }
            try (var in = file.getInputStream(entry)) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                        .map(line -> line.replaceAll("#.*", "").trim()).filter(line -> !line.isEmpty())
                        .collect(java.util.stream.Collectors.toSet());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("plugin jar " + jar.getFileName() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static URLClassLoader open(Path jar) {
        try {
            return new URLClassLoader("plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()},
                    PluginLoader.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("plugin jar " + jar + ": " + e.getMessage(), e);
        }
    }

    /** The jar's own plugins (not the ones its parent, the broker's class path, would also show). */
    private static List<SquallPlugin> plugins(Path jar, URLClassLoader loader) {
        Set<String> listed = listed(jar);
        List<SquallPlugin> found = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<SquallPlugin> provider : ServiceLoader.load(SquallPlugin.class, loader)
                    .stream().toList()) {
                if (listed.contains(provider.type().getName())) {
                    found.add(provider.get());
                }
            }
        } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
            throw new IllegalArgumentException("plugin jar " + jar.getFileName() + " cannot load its plugin: "
                    + rootMessage(e), e);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("plugin jar " + jar.getFileName() + " declares no io.squall.api.SquallPlugin"
                    + " (META-INF/services/io.squall.api.SquallPlugin)");
        }
        return found;
    }

    private static List<LoadedPlugins.Origin> start(SquallPlugin plugin, Path jar, Map<String, String> settings,
            Set<String> names) {
        String name;
        try {
            name = plugin.name();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("plugin " + plugin.getClass().getName() + " (" + jar.getFileName()
                    + ") failed to give its name: " + rootMessage(e), e);
        }
        String origin = "plugin '" + name + "' (" + jar.getFileName() + ")";
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(origin + ": a plugin name is lower-case letters, digits and '-'");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException(origin + ": another plugin has the same name");
        }
        List<ServiceBinding> bindings;
        try {
            PluginSettings config = new PluginSettings(name, plugin.settings(), settings);
            bindings = List.copyOf(plugin.services(config));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(origin + ": " + rootMessage(e), e);
        }
        log.info("{}: {} service(s) {}", origin, bindings.size(),
                bindings.stream().map(b -> b.service().name() + " (" + b.registry().name().toLowerCase(
                        java.util.Locale.ROOT) + ")").toList());
        return bindings.stream().map(binding -> new LoadedPlugins.Origin(origin, binding)).toList();
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        return root == e ? message : e.getMessage() + ": " + message;
    }
}
