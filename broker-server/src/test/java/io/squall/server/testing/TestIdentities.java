package io.squall.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.Client;
import io.squall.core.CloseReason;
import io.squall.core.Service;
import io.squall.core.ServiceRegistry;
import io.squall.core.protocol.EncodedMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Test stand-in for handshake authentication, so identity-needing services can be driven over real WebSockets:
 * a {@code test_login} service whose message is the identity to take, and {@link #wrap}, which puts a service in
 * front of which every connection is seen with the identity it took (or none). Frames stay byte-for-byte those of
 * the real service. Loop thread only.
 */
@SuppressWarnings("unchecked")
public final class TestIdentities {
    public static final String LOGIN_SERVICE = "test_login";

    private final Map<Client, IdentifiedClient> clients = new HashMap<>();

    /**
     * Registers each of {@code inner}, wrapped, then {@code test_login} in the server's public registry, on the loop.
     * The login service comes last so that on disconnect the wrapped services still find their wrappers.
     */
    public static TestIdentities install(io.squall.server.BrokerServer server,
            java.util.function.Function<io.squall.core.ServiceContext, Service>... inner) {
        TestIdentities identities = new TestIdentities();
        server.callOnLoop(() -> {
            for (var factory : inner) {
                server.publicRegistry().register(identities.wrap(factory.apply(server.context())));
            }
            identities.installLogin(server.publicRegistry());
            return null;
        });
        return identities;
    }

    /** Takes {@code identityJson} as the connection's identity and waits for the acknowledgement. */
    public static void login(WsTestClient client, String identityJson) {
        client.send("{\"service\":\"" + LOGIN_SERVICE + "\",\"message\":" + identityJson + "}");
        String ack = client.nextText();
        if (!ack.contains(LOGIN_SERVICE)) {
            throw new AssertionError("expected the login acknowledgement first, got " + ack);
        }
    }

    /** Registers {@code test_login} in {@code registry}: {@code {"service":"test_login","message":<identity>}}. */
    public void installLogin(ServiceRegistry registry) {
        registry.register(new Service() {
            @Override
            public String name() {
                return LOGIN_SERVICE;
            }

            @Override
            public void onMessage(Client client, JsonNode identity) {
                seen(client).identity = identity;
                client.send(new EncodedMessage(("{\"service\":\"" + LOGIN_SERVICE + "\",\"message\":\"ok\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }

            @Override
            public void onDisconnect(Client client) {
                clients.remove(client);
            }
        });
    }

    /** {@code inner}, registered under its own name, seeing each connection with its test identity. */
    public Service wrap(Service inner) {
        return new Service() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public void onMessage(Client client, JsonNode message) {
                inner.onMessage(seen(client), message);
            }

            @Override
            public void onConnect(Client client) {
                inner.onConnect(seen(client));
            }

            @Override
            public void onDisconnect(Client client) {
                IdentifiedClient wrapped = clients.get(client);
                if (wrapped != null) {
                    inner.onDisconnect(wrapped);
                }
            }
        };
    }

    /** Wrappers still held: zero once every connection has gone (the login service runs last). */
    public int size() {
        return clients.size();
    }

    /** {@link #size} read on the broker's loop. */
    public int sizeOnLoop(TestBroker broker) {
        return broker.server().callOnLoop(this::size);
    }

    private IdentifiedClient seen(Client client) {
        return clients.computeIfAbsent(client, IdentifiedClient::new);
    }

    private static final class IdentifiedClient implements Client {
        private final Client delegate;
        private JsonNode identity;

        IdentifiedClient(Client delegate) {
            this.delegate = delegate;
        }

        @Override
        public void send(EncodedMessage message) {
            delegate.send(message);
        }

        @Override
        public Optional<JsonNode> identity() {
            return Optional.ofNullable(identity);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close(CloseReason reason) {
            delegate.close(reason);
        }
    }
}
