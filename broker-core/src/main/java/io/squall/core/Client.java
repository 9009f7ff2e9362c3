package io.squall.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.core.error.CloseCode;
import io.squall.core.protocol.EncodedMessage;
import java.util.Optional;

/**
 * One connection, whatever carries it (WebSocket, backend HTTP request, serial bridge). A client is identified
 * only by object identity, as in Snorky: there is no client id on the wire.
 *
 * <p>Implementations never call back into services or the registry from {@link #send} or {@link #close}: a
 * disconnect caused by either is reported later, as its own loop task. Services may therefore send to clients
 * while iterating their own collections.
 */
public interface Client {

    /**
     * Queues an already encoded frame for this client. Never blocks. A transport whose outbound queue is full
     * closes itself with {@link CloseCode#SLOW_CONSUMER} instead of queueing more.
     */
    void send(EncodedMessage message);

    /**
     * The identity the transport authenticated at connect time (any JSON; a string for a token's {@code sub}), or
     * empty for an anonymous client. It never changes during the connection.
     */
    default Optional<JsonNode> identity() {
        return Optional.empty();
    }

    /** For logs only: transport and remote address. */
    String describe();

    /**
     * The code of the connection's closing handshake, whoever sent it first (RFC 6455 or Squall's 4xxx), once it is
     * closed; 0 while open or when no close frame was exchanged (the socket just ended), or for transports that
     * have none.
     */
    default int closeCode() {
        return 0;
    }

    /** Closes the connection with the given reason. Closing twice is harmless. */
    void close(CloseCode reason);

    /**
     * Closes the connection with a code and reason chosen outside the broker (an application's proxy answer:
     * 4000-4999). A transport that cannot carry them closes with {@link CloseCode#DISCONNECTED_BY_BACKEND}.
     */
    default void close(int code, String reason) {
        close(CloseCode.DISCONNECTED_BY_BACKEND);
    }
}
