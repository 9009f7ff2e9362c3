package io.squall.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.squall.core.Client;
import io.squall.core.ServiceContext;
import io.squall.core.ServiceRegistry;
import io.squall.core.protocol.Envelope;
import io.squall.server.ws.WsEndpoint;

/**
 * What follows a connect proxy's answer (or a token's expiry, with a refresh proxy) once the connection is up, on
 * the loop: its {@code data} as the first frame
 * ({@code {"service":"connect","message":{"type":"connect","data":D}}}), its {@code channels} subscribed (each a
 * PubSub {@code subscribe} without a call id, so its reply says how it went), and its expiry handed to
 * {@link IdentityRefresh}.
 */
final class ProxySessions implements WsEndpoint.ConnectionListener {
    /** The envelope's service name for the connect proxy's data: no service has it, so no call can reach it. */
    static final String CONNECT_SERVICE = "connect";

    private final ServiceContext context;
    private final ServiceRegistry registry;
    private final String pubsubService;
    private final IdentityRefresh refresh;

    ProxySessions(ServiceContext context, ServiceRegistry registry, String pubsubService, IdentityRefresh refresh) {
        this.context = context;
        this.registry = registry;
        this.pubsubService = pubsubService;
        this.refresh = refresh;
    }

    @Override
    public void connected(Client client) {
        Handshake handshake = Handshake.of(client);
        if (handshake.data() != null) {
            ObjectNode message = JsonNodeFactory.instance.objectNode().put("type", "connect");
            message.set("data", handshake.data());
            client.send(context.codec().encode(CONNECT_SERVICE, message));
        }
        for (JsonNode channel : handshake.channels()) {
            ObjectNode subscribe = JsonNodeFactory.instance.objectNode().put("command", "subscribe");
            subscribe.putObject("params").set("channel", channel);
            registry.dispatch(client, new Envelope(pubsubService, subscribe));
        }
        if (handshake.expiresAt() > 0) {
            refresh.start(client, handshake.expiresAt());
        }
    }

    @Override
    public void disconnected(Client client) {
        refresh.stop(client);
    }
}
