package io.squall.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** The frame every transport carries: {@code {"service": name, "message": any JSON}}. */
public record Envelope(String service, JsonNode message) {
    public Envelope {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(message, "message");
    }
}
