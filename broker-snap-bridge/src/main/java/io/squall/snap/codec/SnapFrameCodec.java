package io.squall.snap.codec;

import java.util.function.Consumer;

/**
 * Bytes on the serial link to and from {@link SnapMessage}s. One instance per bridge, used only on the broker
 * loop (not thread-safe). Implementations: {@link Snapb1Codec} ({@code snapb1}), {@link LineCodec}
 * ({@code line}), or any class with a public no-argument constructor named in {@code snap.codec}, so that a
 * licensee can plug in Synapse's Packet Serial from another jar.
 */
public interface SnapFrameCodec {

    /**
     * Feeds {@code len} bytes read from the link. Complete frames are passed to {@code out} in order; a partial
     * frame is kept for the next call. Bad frames are dropped and counted in {@link #stats()}, never thrown.
     */
    void decode(byte[] buf, int off, int len, Consumer<SnapMessage> out);

    /** Forgets any partial frame: called on every disconnect and reopen. */
    void reset();

    /**
     * The bytes that carry {@code message} on the link.
     *
     * @throws IllegalArgumentException when this codec cannot carry it (too large, unsupported kind)
     */
    byte[] encode(SnapMessage message);

    /** Counters of frames decoded and dropped. */
    CodecStats stats();

    /**
     * Called once the link is open, before any byte is read: a codec whose protocol needs a handshake (a
     * bridge-address query, say) writes it through {@code writer}. Does nothing by default.
     */
    default void onOpen(Consumer<byte[]> writer) {}

    /** A short name for logs and metrics. */
    default String name() {
        return getClass().getSimpleName();
    }
}
