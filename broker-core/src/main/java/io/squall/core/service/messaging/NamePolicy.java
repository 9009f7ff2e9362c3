package io.squall.core.service.messaging;

import io.squall.core.Client;

/** Which participant names a client may register: Snorky's {@code is_name_allowed} hook. */
@FunctionalInterface
public interface NamePolicy {

    boolean mayRegister(Client client, String name);

    /** Every name for everyone: Snorky's default. */
    static NamePolicy allowAll() {
        return (client, name) -> true;
    }

    /**
     * Only the client's own identity, when that identity is a string: with handshake authentication on, a user can
     * then be reached only under the name the broker authenticated.
     */
    static NamePolicy ownIdentity() {
        return (client, name) -> client.identity()
                .filter(identity -> identity.isTextual() && identity.textValue().equals(name))
                .isPresent();
    }
}
