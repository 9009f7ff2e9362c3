package io.squall.core.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One message published on a channel, as the engine hands it back.
 *
 * @param offset its place in the channel's stream (1, 2, ...), or 0 on a channel without history
 * @param data the message itself, any JSON (null included)
 */
public record Publication(long offset, JsonNode data) {
    public Publication {
        Objects.requireNonNull(data, "data");
    }
}
