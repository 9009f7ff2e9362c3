package io.squall.services.messaging;

import java.util.Objects;

/** {@code registerParticipant} and {@code unregisterParticipant}: a participant name, a string. */
record NameParams(String name) {
    NameParams {
        Objects.requireNonNull(name, "name"); // null is "Invalid params"
    }
}
