package io.squall.snap;

import io.squall.api.PluginConfig;
import io.squall.api.ServiceBinding;
import io.squall.api.ServiceSetup;
import io.squall.api.SquallPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The SNAP bridge as the broker runs it: a plugin of the public service API like any other, whose {@code snap}
 * service joins the private registry (every function) and, when {@code snap.public.functions} lists some, the
 * public one (those only). Its configuration is the broker's {@code snap.*} keys, read by the broker. Both services
 * share one bridge, made and started on the loop by the first of them to be set up; on several nodes it runs only
 * while this node owns the port ({@link SnapCluster}).
 */
public final class SnapPlugin implements SquallPlugin {
    private final SnapBridgeConfig config;
    private final Function<ServiceSetup, SnapBridge> bridges;
    /** Made on the loop; read by {@code /health} from any thread. */
    private volatile SnapCluster cluster;

    /** The production bridge: jSerialComm on {@code snap.port}, a writer thread, the configured codec. */
    public SnapPlugin(SnapBridgeConfig config) {
        this(config, setup -> SnapBridge.create(config, setup));
    }

    /** @param bridges makes the bridge from the setup of the service that runs it (tests pass a fake port) */
    SnapPlugin(SnapBridgeConfig config, Function<ServiceSetup, SnapBridge> bridges) {
        this.config = config;
        this.bridges = bridges;
    }

    @Override
    public String name() {
        return "snap";
    }

    @Override
    public List<ServiceBinding> services(PluginConfig ignored) {
        List<ServiceBinding> services = new ArrayList<>(2);
        services.add(ServiceBinding.privateService(new SnapService(config.serviceName(), this::bridge, null)));
        if (!config.publicFunctions().isEmpty()) {
            services.add(ServiceBinding.publicService(new SnapService(config.serviceName(), this::bridge,
                    Set.copyOf(config.publicFunctions()))));
        }
        return services;
    }

    private SnapCluster bridge(ServiceSetup setup) {
        setup.loop().checkInLoop();
        if (cluster == null) {
            SnapCluster made = new SnapCluster(bridges.apply(setup), setup);
            made.start();
            cluster = made;
        }
        return cluster;
    }

    /** The running bridge and its place among the nodes, once a service of this plugin was set up. */
    public Optional<SnapCluster> cluster() {
        return Optional.ofNullable(cluster);
    }
}
