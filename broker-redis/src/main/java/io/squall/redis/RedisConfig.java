package io.squall.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the Redis engine finds Redis and how it names and keeps things there.
 *
 * @param addresses Redis URIs: {@code redis://[user:password@]host:port}, {@code rediss://} for TLS,
 *     {@code redis-sentinel://password@sentinel1:26379,sentinel2:26379/0#mymaster} for Sentinel (standalone mode
 *     only). One address in {@link Mode#STANDALONE}; any node(s) of the cluster in {@link Mode#CLUSTER}; every shard,
 *     in a fixed order, in {@link Mode#SHARDED}
 * @param mode how the addresses form one engine
 * @param keyPrefix first part of every key and channel name (default {@code squall})
 * @param partitions the channel hash space; every key of a channel carries its partition tag {@code {T}}, so one
 *     script touches one Redis node. Fixed for the life of the data: changing it renames every key (default 128)
 * @param presenceTtl presence entries vanish this long after their last refresh (default 60 s)
 * @param historyMetaTtl a channel's epoch and top offset are kept this long after its last publish or history
 *     read; keep it much longer than any history TTL (default 30 days)
 * @param idempotencyTtl how long an idempotent publish's result answers retries (default 5 min)
 * @param commandTimeout every command fails with BrokerUnavailableException after this (default 2 s)
 * @param probeInterval a pub/sub connection silent this long probes itself; no answer within another interval
 *     and it is rebuilt (default 30 s)
 * @param heartbeatInterval how often this node announces itself on the control channel (default 3 s, at least
 *     100 ms)
 * @param nodeTimeout a node whose latest heartbeat is older than this is down (default 2.5 heartbeat intervals; at
 *     least two, so that one beat late by a whole interval, a GC pause or a stalled loop, is not taken for a death)
 * @param nodeId this node's name in heartbeats (unique per node)
 */
public record RedisConfig(
        List<String> addresses,
        Mode mode,
        String keyPrefix,
        int partitions,
        Duration presenceTtl,
        Duration historyMetaTtl,
        Duration idempotencyTtl,
        Duration commandTimeout,
        Duration probeInterval,
        Duration heartbeatInterval,
        Duration nodeTimeout,
        String nodeId) {

    /** The shortest heartbeat interval: shorter ones would make liveness a noticeable share of Redis's work. */
    public static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

    /** How the configured addresses form one engine. */
    public enum Mode {
        /** one Redis (or one Sentinel-managed master) */
        STANDALONE,
        /** a Redis Cluster: keys spread by partition tag, fan-out by sharded pub/sub (SPUBLISH/SSUBSCRIBE) */
        CLUSTER,
        /** independent standalone Redis instances; each channel lives on one, chosen by jump hash */
        SHARDED
    }

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_:-]{1,64}");

    public RedisConfig {
        Objects.requireNonNull(mode, "mode");
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("redis: at least one address is needed");
        }
        if (mode == Mode.STANDALONE && addresses.size() != 1) {
            throw new IllegalArgumentException("redis: standalone mode takes one address, got " + addresses);
        }
        for (String address : addresses) {
            RedisURI uri = parse(address);
            if (mode != Mode.STANDALONE && !uri.getSentinels().isEmpty()) {
                throw new IllegalArgumentException("redis: Sentinel addresses work in standalone mode only: " + address);
            }
        }
        if (keyPrefix == null || !PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("redis: key prefix must be 1-64 of [A-Za-z0-9_:-]: " + keyPrefix);
        }
        if (partitions < 1 || partitions > 16_384) {
            throw new IllegalArgumentException("redis: partitions must be in 1..16384: " + partitions);
        }
        positive("presence.ttl", presenceTtl, Duration.ofSeconds(1));
        positive("history.meta.ttl", historyMetaTtl, Duration.ofSeconds(1));
        positive("idempotency.ttl", idempotencyTtl, Duration.ofSeconds(1));
        positive("redis.command.timeout", commandTimeout, Duration.ofMillis(1));
        positive("redis.probe.interval", probeInterval, Duration.ofMillis(1));
        positive("redis.heartbeat.interval", heartbeatInterval, MIN_HEARTBEAT);
        positive("redis.node.timeout", nodeTimeout, heartbeatInterval.multipliedBy(2));
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("redis: node id must not be blank");
        }
    }

    /** Defaults for everything but where Redis is and who this node is. */
    public static RedisConfig of(Mode mode, List<String> addresses, String nodeId) {
        return new RedisConfig(addresses, mode, "squall", 128, Duration.ofSeconds(60), Duration.ofDays(30),
                Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(3),
                defaultNodeTimeout(Duration.ofSeconds(3)), nodeId);
    }

    /** The node timeout when none is given: 2.5 heartbeat intervals. */
    public static Duration defaultNodeTimeout(Duration heartbeatInterval) {
        return heartbeatInterval.multipliedBy(5).dividedBy(2);
    }

    /** One standalone Redis with every default, e.g. {@code standalone("redis://localhost:6379", "node-1")}. */
    public static RedisConfig standalone(String address, String nodeId) {
        return of(Mode.STANDALONE, List.of(address), nodeId);
    }

    public RedisConfig withProbeInterval(Duration interval) {
        return new RedisConfig(addresses, mode, keyPrefix, partitions, presenceTtl, historyMetaTtl, idempotencyTtl,
                commandTimeout, interval, heartbeatInterval, nodeTimeout, nodeId);
    }

    /** This heartbeat interval, and the node timeout that goes with it by default (2.5 intervals). */
    public RedisConfig withHeartbeatInterval(Duration interval) {
        return new RedisConfig(addresses, mode, keyPrefix, partitions, presenceTtl, historyMetaTtl, idempotencyTtl,
                commandTimeout, probeInterval, interval, defaultNodeTimeout(interval), nodeId);
    }

    public RedisConfig withNodeTimeout(Duration timeout) {
        return new RedisConfig(addresses, mode, keyPrefix, partitions, presenceTtl, historyMetaTtl, idempotencyTtl,
                commandTimeout, probeInterval, heartbeatInterval, timeout, nodeId);
    }

    public RedisConfig withPresenceTtl(Duration ttl) {
        return new RedisConfig(addresses, mode, keyPrefix, partitions, ttl, historyMetaTtl, idempotencyTtl,
                commandTimeout, probeInterval, heartbeatInterval, nodeTimeout, nodeId);
    }

    public RedisConfig withCommandTimeout(Duration timeout) {
        return new RedisConfig(addresses, mode, keyPrefix, partitions, presenceTtl, historyMetaTtl, idempotencyTtl,
                timeout, probeInterval, heartbeatInterval, nodeTimeout, nodeId);
    }

    List<RedisURI> uris() {
        return addresses.stream().map(RedisConfig::parse).toList();
    }

    private static RedisURI parse(String address) {
        try {
            return RedisURI.create(Objects.requireNonNull(address, "address"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("redis: not a Redis URI (redis://, rediss://, redis-sentinel://): "
                    + address + " (" + e.getMessage() + ")", e);
        }
    }

    private static void positive(String what, Duration value, Duration atLeast) {
        if (value == null || value.compareTo(atLeast) < 0) {
            throw new IllegalArgumentException("redis: " + what + " must be at least " + atLeast + ": " + value);
        }
    }
}
