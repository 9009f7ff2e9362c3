package io.squall.services.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** {@code send}: from one of the caller's names to a registered name; the body is any JSON. */
record SendParams(String sender, String dest, JsonNode body) {
    SendParams {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(dest, "dest");
    }
}
