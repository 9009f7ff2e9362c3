package io.squall.core.api;

import io.squall.api.SquallService;
import io.squall.core.ServiceContext;
import io.squall.core.cluster.ServiceBus;
import io.squall.core.ServiceRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The services of the public API running in this broker (embedded or from plugins), so that shutdown stops what they
 * started. Loop thread only.
 */
public final class ApiServices {
    private final ServiceContext context;
    private final ServiceBus bus;
    private final ChannelPublisher publisher;
    private final ChannelReader reader;
    private final List<ApiService> running = new ArrayList<>();

    /**
     * @param bus the engine's service bus: each service's {@link io.squall.api.Cluster}
     * @param publisher and {@code reader}: each service's {@link io.squall.api.Channels}
     */
    public ApiServices(ServiceContext context, ServiceBus bus, ChannelPublisher publisher, ChannelReader reader) {
        this.context = context;
        this.bus = bus;
        this.reader = reader;
        this.publisher = publisher;
    }

    /** Sets the service up and registers it; fails (naming it) when the registry already has one of its name. */
    public ApiService add(ServiceRegistry registry, SquallService service) {
        context.loop().checkInLoop();
        if (registry.service(service.name()).isPresent()) {
            throw new IllegalArgumentException("registry " + registry.name() + " already has a service named '"
                    + service.name() + "'");
        }
        ApiService adapter = ApiService.of(service, context, bus, publisher, reader);
        registry.register(adapter);
        running.add(adapter);
        return adapter;
    }

    /** Stops every service, in reverse order of start. */
    public void stopAll() {
        context.loop().checkInLoop();
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).stop();
        }
    }

    public List<ApiService> running() {
        return List.copyOf(running);
    }
}
