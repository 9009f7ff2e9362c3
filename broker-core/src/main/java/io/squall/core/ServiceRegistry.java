package io.squall.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.error.ErrorName;
import io.squall.api.TwoWayIndex;
import io.squall.api.JsonKey;
import io.squall.core.lifecycle.LifecycleEvents;
import io.squall.core.protocol.Decoded;
import io.squall.core.protocol.Envelope;
import io.squall.core.protocol.ProtocolCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes envelopes from clients to named services and fans connect/disconnect out to every service. Squall runs
 * two: a public one (browsers, apps) and a private one (trusted backends). Loop thread only.
 *
 * <p>Connect and disconnect reach only the services that override {@link Service#onConnect} or
 * {@link Service#onDisconnect}: the others keep no per-client state (the interface's defaults do nothing), so
 * skipping them changes nothing, and a registry of stateless services (the private one, where every backend HTTP
 * envelope is a connection of its own) pays no fan-out per envelope.
 */
public final class ServiceRegistry {
    private static final Logger log = LoggerFactory.getLogger(ServiceRegistry.class);

    private final String name;
    private final ServiceContext context;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Set<Client> clients = new LinkedHashSet<>();
    /** the services that override onConnect / onDisconnect, in registration order */
    private final List<Service> connectListeners = new ArrayList<>();
    private final List<Service> disconnectListeners = new ArrayList<>();
    /** identity to its connections (a user may have several), kept in step with {@link #clients} */
    private final TwoWayIndex<JsonKey, Client> byIdentity = new TwoWayIndex<>();
    private LifecycleEvents lifecycle = LifecycleEvents.NONE;

    public ServiceRegistry(String name, ServiceContext context) {
        this.name = name;
        this.context = context;
    }

    public String name() {
        return name;
    }

    public void register(Service service) {
        if (services.putIfAbsent(service.name(), service) != null) {
            throw new IllegalArgumentException(
                    "registry " + name + " already has a service named '" + service.name() + "'");
        }
        if (overrides(service, "onConnect")) {
            connectListeners.add(service);
        }
        if (overrides(service, "onDisconnect")) {
            disconnectListeners.add(service);
        }
        // register the service's meters now, so dashboards see zeros rather than nothing before the first message
        context.metrics().messagesIn(service.name());
        context.metrics().messagesOut(service.name());
    }

    public void unregister(String serviceName) {
        Service removed = services.remove(serviceName);
        connectListeners.remove(removed);
        disconnectListeners.remove(removed);
    }

    /** Whether the service's class (or a superclass) replaces the interface's no-op default of {@code callback}. */
    private static boolean overrides(Service service, String callback) {
        try {
            return service.getClass().getMethod(callback, Client.class).getDeclaringClass() != Service.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return true; // cannot tell: notify it, as before
        }
    }

    /** Who hears of every connect and disconnect (the webhooks); loop only. */
    public void lifecycle(LifecycleEvents events) {
        context.loop().checkInLoop();
        this.lifecycle = events;
    }

    public Optional<Service> service(String serviceName) {
        return Optional.ofNullable(services.get(serviceName));
    }

    public Set<String> serviceNames() {
        return Collections.unmodifiableSet(services.keySet());
    }

    /** Connected clients: a read-only live view. */
    public Set<Client> clients() {
        return Collections.unmodifiableSet(clients);
    }

    public int clientCount() {
        return clients.size();
    }

    /**
     * The connected clients authenticated as {@code identity} (compared as JSON, structurally): a snapshot, so the
     * caller may close them while iterating.
     */
    public List<Client> clientsWithIdentity(JsonNode identity) {
        return List.copyOf(byIdentity.valuesOf(JsonKey.of(identity)));
    }

    /** Number of distinct identities with at least one connected client. */
    public int identityCount() {
        return byIdentity.keyCount();
    }

    public void connected(Client client) {
        context.loop().checkInLoop();
        if (!clients.add(client)) {
            return;
        }
        Optional<JsonNode> identity = client.identity(); // no capturing lambda: every backend envelope connects once
        if (identity.isPresent()) {
            byIdentity.add(JsonKey.of(identity.get()), client);
        }
        try {
            lifecycle.connected(client);
        } catch (RuntimeException e) {
            log.error("lifecycle events failed on the connect of {}", client.describe(), e);
        }
        for (Service service : connectListeners) {
            try {
                service.onConnect(client);
            } catch (RuntimeException e) {
                log.error("service {} failed in onConnect for {}", service.name(), client.describe(), e);
            }
        }
    }

    /** Runs every service's cleanup for {@code client}; a second call for the same client does nothing. */
    public void disconnected(Client client) {
        context.loop().checkInLoop();
        if (!clients.remove(client)) {
            return;
        }
        byIdentity.removeValue(client);
        for (Service service : disconnectListeners) {
            try {
                service.onDisconnect(client);
            } catch (RuntimeException e) {
                log.error("service {} failed in onDisconnect for {}", service.name(), client.describe(), e);
            }
        }
        try {
            lifecycle.disconnected(client);
        } catch (RuntimeException e) {
            log.error("lifecycle events failed on the disconnect of {}", client.describe(), e);
        }
    }

    public void dispatch(Client client, Envelope envelope) {
        context.loop().checkInLoop();
        Service service = services.get(envelope.service());
        if (service == null) {
            replyError(client, envelope, ErrorName.UNKNOWN_SERVICE);
            return;
        }
        context.metrics().messagesIn(service.name()).increment();
        try {
            service.onMessage(client, envelope.message());
        } catch (RuntimeException e) {
            log.error("service {} failed on a message from {}", service.name(), client.describe(), e);
            replyError(client, envelope, ErrorName.INTERNAL_ERROR);
        }
    }

    /** Answers a frame the codec could not route. Thread-safe: transports may call it off the loop. */
    public void reject(Client client, Decoded.Rejected rejected) {
        context.metrics().rejectedFrames(rejected.error().wireName()).increment();
        client.send(rejected.reply());
    }

    private void replyError(Client client, Envelope envelope, ErrorName error) {
        ProtocolCodec codec = context.codec();
        JsonNode callId = ProtocolCodec.callIdOf(envelope.message());
        context.metrics().rejectedFrames(error.wireName()).increment();
        client.send(codec.error(envelope.service(), callId, error));
    }
}
