package io.squall.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A named service in a {@link ServiceRegistry}. Every callback runs on the event loop thread, so a service keeps
 * its state in plain fields and collections and never locks.
 */
public interface Service {

    /** The name clients put in the envelope's {@code service} field. */
    String name();

    /** A message addressed to this service. {@code message} is the envelope's {@code message} value, any JSON. */
    void onMessage(Client client, JsonNode message);

    /** A client connected to the registry this service is in. */
    default void onConnect(Client client) {}

    /** A client left; the service must drop every piece of state it keeps for it. */
    default void onDisconnect(Client client) {}
}
