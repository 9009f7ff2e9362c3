package io.squall.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.squall.api.Registry;
import io.squall.api.ServiceBinding;
import io.squall.api.SquallService;
import io.squall.server.config.ConfigLoader;
import io.squall.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Squall embedded in your own application: configuration as the command-line broker reads it (a properties file,
 * {@code SQUALL_*} variables, flags) or set in code, plus your services, then {@link #start}.
 *
 * <pre>{@code
 * Squall squall = Squall.builder()
 *         .args(args)                          // --config FILE, --public.port=8080 ...
 *         .env(System.getenv())                // SQUALL_* variables, if you want them read
 *         .set("worker.threads", "8")          // in code: wins over the rest
 *         .service(Registry.PUBLIC, new DevicePoller())
 *         .start();
 * ...
 * squall.stop();
 * }</pre>
 */
public final class Squall implements AutoCloseable {
    private final BrokerServer server;

    private Squall(BrokerServer server) {
        this.server = server;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The public WebSocket port (the one bound, when {@code public.port} was 0). */
    public int publicPort() {
        return server.publicPort();
    }

    /** The private port (backend HTTP and WebSocket, health, metrics). */
    public int privatePort() {
        return server.privatePort();
    }

    /** The backend API key, configured or generated at start. */
    public String backendKey() {
        return server.backendKey();
    }

    /** The running broker, for what this class does not wrap. */
    public BrokerServer server() {
        return server;
    }

    /** Stops gracefully (as on SIGTERM): clients closed with 1001, services stopped, then the loop. */
    public void stop() {
        server.close();
    }

    @Override
    public void close() {
        stop();
    }

    /** How the embedded broker is configured; every method returns the builder. */
    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<ServiceBinding> services = new ArrayList<>();
        private Map<String, String> env = Map.of();
        private PrometheusMeterRegistry meters;

        private Builder() {}

        /** Command-line arguments as the broker's {@code main} takes them ({@code --key=value}, {@code --config FILE}). */
        public Builder args(String... arguments) {
            args.addAll(List.of(arguments));
            return this;
        }

        /** Environment variables to read ({@code SQUALL_*}, {@code SQUALL_CONFIG}); none unless given. */
        public Builder env(Map<String, String> variables) {
            this.env = Map.copyOf(variables);
            return this;
        }

        /** One configuration key (README's table, or {@code plugin.<name>.<key>}); set in code, it wins. */
        public Builder set(String key, String value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A service of yours, in the public or private registry. */
        public Builder service(Registry registry, SquallService service) {
            services.add(new ServiceBinding(registry, service));
            return this;
        }

        /** The meter registry {@code /metrics} serves (default: a fresh one). */
        public Builder meters(PrometheusMeterRegistry registry) {
            this.meters = registry;
            return this;
        }

        /** The configuration as it stands, validated (as {@link #start} would read it). */
        public ServerConfig config() {
            List<String> all = new ArrayList<>(args);
            settings.forEach((key, value) -> all.add("--" + key + "=" + value));
            return ConfigLoader.load(all.toArray(String[]::new), env);
        }

        /**
         * Starts the broker with the services and the plugins of {@code plugins.dir}.
         *
         * @throws IllegalArgumentException for a bad configuration, plugin or service, named in the message
         * @throws IllegalStateException when a port cannot be bound
         */
        public Squall start() {
            return new Squall(BrokerServer.start(config(),
                    meters != null ? meters : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), services));
        }
    }
}
