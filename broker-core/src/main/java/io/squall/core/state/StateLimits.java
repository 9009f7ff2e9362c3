package io.squall.core.state;

/**
 * How much state one connection may make the broker keep, in bytes, on top of the per-service counts.
 *
 * @param maxKeyBytes largest key a client may name (a channel, a name, a document, a handle, a token, a call id): a
 *     string's UTF-8 bytes, any other JSON value's canonical text's; larger is "Invalid params"
 * @param maxConnectionStateBytes the most the keys one connection holds over every service (subscriptions,
 *     memberships, registrations, cursors) may add up to; a request past it is "Too much state"
 */
public record StateLimits(int maxKeyBytes, long maxConnectionStateBytes) {

    public StateLimits {
        if (maxKeyBytes < 1) {
            throw new IllegalArgumentException("maxKeyBytes must be positive: " + maxKeyBytes);
        }
        if (maxConnectionStateBytes < maxKeyBytes) {
            throw new IllegalArgumentException("maxConnectionStateBytes (" + maxConnectionStateBytes
                    + ") must be at least maxKeyBytes (" + maxKeyBytes + ")");
        }
    }

    /** 1 KiB keys, 64 KiB per connection, as documented. */
    public static StateLimits defaults() {
        return new StateLimits(1024, 64 * 1024);
    }
}
