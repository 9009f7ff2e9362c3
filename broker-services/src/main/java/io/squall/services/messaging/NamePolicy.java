package io.squall.services.messaging;

import io.squall.api.Caller;

/** Which participant names a client may register: Snorky's {@code is_name_allowed} hook. */
@FunctionalInterface
public interface NamePolicy {

    boolean mayRegister(Caller caller, String name);

    /** Every name for everyone: Snorky's default. */
    static NamePolicy allowAll() {
        return (caller, name) -> true;
    }

    /**
     * Only the client's own identity, when that identity is a string: with handshake authentication on, a user can
     * then be reached only under the name the broker authenticated.
     */
    static NamePolicy ownIdentity() {
        return (caller, name) -> caller.identity()
                .filter(identity -> identity.isTextual() && identity.textValue().equals(name))
                .isPresent();
    }
}
