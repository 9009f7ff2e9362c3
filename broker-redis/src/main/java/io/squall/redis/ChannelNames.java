package io.squall.redis;

import io.squall.api.JsonKey;
import java.nio.charset.StandardCharsets;

/**
 * Names in Redis. Every key and pub/sub channel of a Squall channel carries the channel's partition tag
 * {@code {T}}, so in a cluster they share one hash slot: one Lua script may touch them all, and one sharded pub/sub
 * connection per partition serves them.
 */
final class ChannelNames {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final String prefix;
    private final int partitions;

    ChannelNames(String prefix, int partitions) {
        this.prefix = prefix;
        this.partitions = partitions;
    }

    int partition(JsonKey channel) {
        return jump(fnv1a64(channel.canonicalText()), partitions);
    }

    String tag(int partition) {
        return "{" + partition + "}";
    }

    String stream(JsonKey channel) {
        return named("stream", channel);
    }

    String meta(JsonKey channel) {
        return named("meta", channel);
    }

    String result(JsonKey channel, String idempotencyKey) {
        return named("result", channel) + "." + idempotencyKey;
    }

    String pubSub(JsonKey channel) {
        return named("ch", channel);
    }

    String presenceExpiry(JsonKey channel) {
        return named("presence.expire", channel);
    }

    String presenceData(JsonKey channel) {
        return named("presence.data", channel);
    }

    String claimExpiry(JsonKey space) {
        return named("claims.expire", space);
    }

    String claimOwners(JsonKey space) {
        return named("claims.owner", space);
    }

    /** The channel a pub/sub connection probes itself on: same partition (slot) as the channels it serves. */
    String probe(int partition, String nodeId) {
        return prefix + ".probe." + tag(partition) + "." + nodeId;
    }

    String control() {
        return prefix + ".control";
    }

    /** The Squall channel's canonical text back from a pub/sub channel name, or null if it is not one of ours. */
    String channelText(String pubSubChannel) {
        String head = prefix + ".ch.{";
        if (!pubSubChannel.startsWith(head)) {
            return null;
        }
        int close = pubSubChannel.indexOf("}.", head.length());
        return close < 0 ? null : pubSubChannel.substring(close + 2);
    }

    private String named(String kind, JsonKey channel) {
        return prefix + "." + kind + "." + tag(partition(channel)) + "." + channel.canonicalText();
    }

    static long fnv1a64(String text) {
        long hash = FNV_OFFSET;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** Lamping and Veach's jump consistent hash: few keys move when {@code buckets} grows. */
    static int jump(long key, int buckets) {
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }
}
