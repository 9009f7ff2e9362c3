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

    /**
     * Counts {@code key} (its UTF-8 bytes) against this connection's state budget, as the built-in services count
     * the channels, names and cursors they keep for it: {@code max.connection.state.bytes} per connection, shared by
     * every service. Call it before keeping the entry; it throws {@link ServiceException} with
     * {@link ServiceError#TOO_MUCH_STATE}, counting nothing, when the connection would hold too much, and with
     * {@link ServiceError#INVALID_PARAMS} when the key is longer than {@code max.key.bytes}. Loop thread only.
     */
    void hold(String key);

    /**
     * Counts {@code key} off again: the entry is gone. What the connection still holds with this service when it
     * disconnects is let go after {@link SquallService#onDisconnect}, so a service only releases what goes while the
     * client stays. Loop thread only.
     */
    void release(String key);

    /**
     * Counts {@code bytes} of kept values (a cursor's position, a status) against the same budget, without the key
     * limit: {@link ServiceException} with {@link ServiceError#TOO_MUCH_STATE}, counting nothing, past it. Use
     * {@link JsonKey#byteSize()} to size a JSON value. Loop thread only.
     */
    void holdBytes(long bytes);

    /** Counts {@code bytes} held with {@link #holdBytes} off again. Loop thread only. */
    void releaseBytes(long bytes);

    /**
     * Checks a key a command names without keeping it (a name to look up, a destination): {@link ServiceException}
     * with {@link ServiceError#INVALID_PARAMS} when it is longer than {@code max.key.bytes}, as {@link #hold} would.
     */
    void checkKey(String key);

    /** For logs only: transport and remote address. */
    String describe();
}
