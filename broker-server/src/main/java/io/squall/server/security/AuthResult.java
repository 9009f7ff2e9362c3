package io.squall.server.security;

import com.fasterxml.jackson.databind.JsonNode;

/** What the {@link Authenticator} decided about a handshake. */
public sealed interface AuthResult {

    /** A valid token: the connection's identity is the configured claim's value. */
    record Authenticated(JsonNode identity) implements AuthResult {}

    /** No token, and anonymous connections are allowed. */
    record Anonymous() implements AuthResult {}

    /** Refused with 401. */
    record Refused(Refusal refusal) implements AuthResult {}
}
