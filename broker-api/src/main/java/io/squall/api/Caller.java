package io.squall.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One connected client, as a service sees it. Two {@code Caller}s of the same connection are equal, so a service may
 * key its per-client state by them (and must drop it in {@link SquallService#onDisconnect}).
 */
public interface Caller {

    /** The identity the client authenticated with at connect time (a token's claim), or empty when anonymous. */
    Optional<JsonNode> identity();

    /** The identity, or a {@link ServiceException} answering {@code "Not authenticated"} when anonymous. */
    default JsonNode requireIdentity() {
        return identity().orElseThrow(() -> new ServiceException(ServiceError.NOT_AUTHENTICATED));
    }

    /**
     * Sends a notification from this service: {@code {"service": name, "message": message}}, {@code message} any
     * Jackson-serializable value. Never blocks; a client too slow to read is closed by the broker instead. Loop
     * thread only.
     */
    void notify(Object message);

    /** For logs only: transport and remote address. */
    String describe();
}
