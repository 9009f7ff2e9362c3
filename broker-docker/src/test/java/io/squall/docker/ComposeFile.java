package io.squall.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Compose file read as the container tests need it: a service's image, command, environment and hardening, with
 * Compose's variable interpolation ({@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:?error}}) done from a
 * given map, so a test starts the containers the file describes without the Compose CLI.
 */
final class ComposeFile {
    static final String CLUSTER = "compose.cluster.yaml";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?:(:?[-?])([^}]*))?}");

    private final Path directory;
    private final JsonNode services;
    private final Map<String, String> variables;

    private ComposeFile(Path file, Map<String, String> variables) {
        this.directory = file.getParent();
        this.variables = Map.copyOf(variables);
        try {
            this.services = new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("services");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code file}; {@code variables} stand for the environment Compose would interpolate from. */
    static ComposeFile read(Path file, Map<String, String> variables) {
        return new ComposeFile(file, variables);
    }

    JsonNode service(String name) {
        JsonNode service = services.path(name);
        if (service.isMissingNode()) {
            throw new IllegalArgumentException("no service " + name + " in the Compose file");
        }
        return service;
    }

    List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        return names;
    }

    String image(String service) {
        return interpolate(service(service).path("image").asText());
    }

    List<String> command(String service) {
        List<String> command = new ArrayList<>();
        service(service).path("command").forEach(part -> command.add(interpolate(part.asText())));
        return command;
    }

    /** The service's environment (map form), interpolated. */
    Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        service(service).path("environment").properties()
                .forEach(entry -> environment.put(entry.getKey(), interpolate(entry.getValue().asText())));
        return environment;
    }

    List<String> strings(String service, String key) {
        List<String> values = new ArrayList<>();
        service(service).path(key).forEach(value -> values.add(interpolate(value.asText())));
        return values;
    }

    /** A {@code volumes} entry {@code ./dir:/path[:ro]} as a host path, container path and read-only flag. */
    record Bind(Path host, String container, boolean readOnly) {}

    List<Bind> binds(String service) {
        List<Bind> binds = new ArrayList<>();
        for (String volume : strings(service, "volumes")) {
            String[] parts = volume.split(":");
            if (!parts[0].startsWith(".")) {
                throw new IllegalArgumentException("not a bind of a relative path: " + volume);
            }
            binds.add(new Bind(directory.resolve(parts[0]).normalize().toAbsolutePath(), parts[1],
                    parts.length > 2 && parts[2].equals("ro")));
        }
        return binds;
    }

    String interpolate(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String operator = matcher.group(2);
            String set = variables.get(name);
            boolean empty = set == null || (set.isEmpty() && operator != null && operator.startsWith(":"));
            String replacement;
            if (!empty) {
                replacement = set;
            } else if (operator == null) {
                replacement = "";
            } else if (operator.endsWith("-")) {
                replacement = matcher.group(3);
            } else {
                throw new IllegalStateException("Compose would refuse the file: " + name + " " + matcher.group(3));
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(result).toString();
    }
}
