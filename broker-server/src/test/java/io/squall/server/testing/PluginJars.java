package io.squall.server.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.MeterRegistry;
import io.squall.api.SquallPlugin;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars in tests as a plugin author would: sources compiled against broker-api (and what its
 * signatures name: Jackson, Micrometer) only, classes and {@code META-INF/services/io.squall.api.SquallPlugin} in a jar.
 */
public final class PluginJars {
    private PluginJars() {}

    /**
     * Compiles {@code sources} (class name to source) into {@code jar}, listing {@code plugin} as its SquallPlugin.
     */
    public static Path build(Path jar, String plugin, Map<String, String> sources) {
        try {
            Path work = Files.createTempDirectory("plugin-src");
            List<String> args = new ArrayList<>(List.of("--release", "21", "-proc:none", "-d",
                    work.resolve("classes").toString(), "-cp", apiClassPath()));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = work.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
                args.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("the plugin's sources do not compile (see the output above)");
            }
            Path classes = work.resolve("classes");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                    Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("META-INF/services/" + SquallPlugin.class.getName()));
                write(out, plugin + "\n");
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** broker-api and the libraries its signatures name: what a plugin project's compile class path holds. */
    private static String apiClassPath() {
        return Stream.of(SquallPlugin.class, ObjectMapper.class, JsonParser.class, JsonProperty.class,
                MeterRegistry.class).map(PluginJars::location).distinct()
                .reduce((a, b) -> a + java.io.File.pathSeparator + b).orElseThrow();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
