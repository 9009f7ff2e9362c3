package io.squall.api;

import java.util.Objects;

/** A service and the registry it joins. */
public record ServiceBinding(Registry registry, SquallService service) {
    public ServiceBinding {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(service, "service");
    }

    public static ServiceBinding publicService(SquallService service) {
        return new ServiceBinding(Registry.PUBLIC, service);
    }

    public static ServiceBinding privateService(SquallService service) {
        return new ServiceBinding(Registry.PRIVATE, service);
    }
}
