package io.squall.server.security;

import com.fasterxml.jackson.databind.JsonNode;

/** What the {@link Authenticator} decided about a handshake. */
public sealed interface AuthResult {

    /**
     * A valid token: the connection's identity is the configured claim's value; {@code expiresAt} is its {@code exp}
     * (epoch seconds, 0 when unknown), which the refresh proxy uses. Two results are equal when their identities
     * are: the expiry says until when, not who.
     */
    record Authenticated(JsonNode identity, long expiresAt) implements AuthResult {
        public Authenticated(JsonNode identity) {
            this(identity, 0);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Authenticated that && identity.equals(that.identity);
        }

        @Override
        public int hashCode() {
            return identity.hashCode();
        }
    }

    /** No token, and anonymous connections are allowed. */
    record Anonymous() implements AuthResult {}

    /** Refused with 401. */
    record Refused(Refusal refusal) implements AuthResult {}
}
