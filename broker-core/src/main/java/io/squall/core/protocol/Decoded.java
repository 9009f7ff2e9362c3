package io.squall.core.protocol;

import io.squall.core.error.ErrorName;

/** What {@link ProtocolCodec#decode} made of a frame. Decoding never throws, so transports have nothing to catch. */
public sealed interface Decoded {

    /** A well-formed envelope, ready for {@code ServiceRegistry.dispatch}. */
    record Ok(Envelope envelope) implements Decoded {}

    /** A frame that cannot be routed, with the encoded error reply the sender must get. */
    record Rejected(ErrorName error, EncodedMessage reply) implements Decoded {}
}
