package io.squall.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code key=value} arguments, with typed getters that name the key when a value is bad. */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();

    Args(String[] args, int from) {
        for (String arg : Arrays.copyOfRange(args, from, args.length)) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    Optional<String> optional(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalArgumentException("missing " + key + "=..."));
    }

    int integer(String key, int fallback) {
        return optional(key).map(v -> parse(key, v)).orElse(fallback);
    }

    long number(String key, long fallback) {
        return optional(key).map(Long::parseLong).orElse(fallback);
    }

    Duration seconds(String key, double fallback) {
        double seconds = optional(key).map(Double::parseDouble).orElse(fallback);
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    List<Integer> integers(String key, String fallback) {
        List<Integer> list = new ArrayList<>();
        for (String part : string(key, fallback).split(",")) {
            list.add(parse(key, part.trim()));
        }
        return list;
    }

    List<Double> doubles(String key, String fallback) {
        List<Double> list = new ArrayList<>();
        for (String part : string(key, fallback).split(",")) {
            list.add(Double.parseDouble(part.trim()));
        }
        return list;
    }

    List<String> strings(String key, String fallback) {
        return List.of(string(key, fallback).split(","));
    }

    /** Comma-separated numbers (process ids); none when the key is absent. */
    long[] numbers(String key) {
        return optional(key).map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray()).orElse(new long[0]);
    }

    /** Comma-separated loopback URLs; none when the key is absent. */
    List<URI> loopbackUris(String key) {
        List<URI> list = new ArrayList<>();
        for (String part : string(key, "").split(",")) {
            if (!part.isBlank()) {
                URI uri = URI.create(part.trim());
                String host = uri.getHost();
                if (host == null || !(host.startsWith("127.") || host.equals("localhost"))) {
                    throw new IllegalArgumentException(key + " must be loopback addresses: " + uri);
                }
                list.add(uri);
            }
        }
        return list;
    }

    /** A URL the harness may load: loopback only. */
    Optional<URI> loopbackUri(String key) {
        return optional(key).map(URI::create).map(uri -> {
            String host = uri.getHost();
            if (host == null || !(host.startsWith("127.") || host.equals("localhost"))) {
                throw new IllegalArgumentException(key + " must be a loopback address: " + uri);
            }
            return uri;
        });
    }

    private static int parse(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number: " + value, e);
        }
    }
}
