package io.squall.core.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One connection present in a channel.
 *
 * @param clientId the connection's id, unique across nodes
 * @param identity the connection's identity, or null for an anonymous connection
 */
public record PresenceInfo(String clientId, JsonNode identity) {
    public PresenceInfo {
        Objects.requireNonNull(clientId, "clientId");
    }
}
