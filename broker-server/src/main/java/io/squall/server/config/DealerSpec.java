package io.squall.server.config;

import io.squall.core.service.datasync.dealer.BroadcastDealer;
import io.squall.core.service.datasync.dealer.Dealer;
import io.squall.core.service.datasync.dealer.FilterDealer;
import io.squall.core.service.datasync.dealer.SimpleDealer;
import io.squall.core.service.datasync.filter.FieldPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One DataSync dealer from {@code datasync.dealers}: {@code name=kind:Model} or, for a simple dealer,
 * {@code name=simple:Model:field.path}. Kinds: {@code broadcast} (every row to every subscriber of the model),
 * {@code simple} (rows whose field equals the query), {@code filter} (rows matching the query's filter).
 */
public record DealerSpec(String name, Kind kind, String model, Optional<FieldPath> key) {

    public enum Kind { BROADCAST, SIMPLE, FILTER }

    public DealerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        if (name.isBlank() || model.isBlank()) {
            throw new IllegalArgumentException("a dealer needs a name and a model");
        }
        if ((kind == Kind.SIMPLE) != key.isPresent()) {
            throw new IllegalArgumentException("dealer " + name + ": a simple dealer, and only a simple dealer, takes "
                    + "a key field (name=simple:Model:field.path)");
        }
    }

    /** The dealer this spec describes. */
    public Dealer build() {
        return switch (kind) {
            case BROADCAST -> new BroadcastDealer(name, model);
            case SIMPLE -> SimpleDealer.byField(name, model, key.orElseThrow());
            case FILTER -> new FilterDealer(name, model);
        };
    }

    /** Parses the comma-separated list of {@code datasync.dealers}; names must be unique. */
    static List<DealerSpec> parseList(String value) {
        List<DealerSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            DealerSpec spec = parse(entry.trim());
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("dealer " + spec.name() + " is listed twice");
            }
            specs.add(spec);
        }
        return List.copyOf(specs);
    }

    private static DealerSpec parse(String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + entry + "' is not name=kind:Model[:field]");
        }
        String name = entry.substring(0, eq).trim();
        String[] parts = entry.substring(eq + 1).split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("'" + entry + "' is not name=kind:Model[:field]");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(parts[0].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dealer " + name + ": kind must be broadcast, simple or filter, was '"
                    + parts[0] + "'", e);
        }
        Optional<FieldPath> key = parts.length == 3 ? Optional.of(FieldPath.parse(parts[2].trim())) : Optional.empty();
        return new DealerSpec(name, kind, parts[1].trim(), key);
    }
}
