package io.squall.snap;

import io.squall.snap.link.SerialSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The bridge's configuration, validated once (the server builds it from the {@code snap.*} keys; defaults and
 * meanings are in the README table and docs/snap.md).
 *
 * @param serial the port and its line settings
 * @param codec {@code snapb1}, {@code line}, or the class name of a {@code SnapFrameCodec}
 * @param channelTemplate where each node RPC is published: {@code {src}}, {@code {dst}}, {@code {function}},
 *     {@code {kind}} are replaced
 * @param allChannel where every node RPC is also published (for pages that show the whole mesh); empty: nowhere
 * @param nodesChannel where node joins and leaves are published
 * @param linkChannel where the serial link going up and down is published
 * @param nodeTimeout a node not heard for this long has left
 * @param maxNodes nodes the directory remembers; past it, the longest-silent is forgotten
 * @param pollInterval how often the loop reads the port when it polls
 * @param reconnectMin first wait before reopening a lost port (doubles each failure)
 * @param reconnectMax longest wait between reopen attempts
 * @param hostAddress the broker's own SNAP address: the source of host RPCs
 * @param serviceName name of the {@code snap} RPC service (private registry; public too when functions are allowed)
 * @param publicFunctions node functions public clients may call; empty: no public {@code snap} service
 * @param sendQueue frames waiting for the serial writer before host RPCs are refused
 * @param readMode whether serial input wakes the loop (readiness) or the loop polls the port
 * @param ownerTtl on several nodes: how long this node's claim on the port lasts unless refreshed (every third of
 *     it), so a standby takes over within it when the owner dies
 */
public record SnapBridgeConfig(
        SerialSettings serial,
        String codec,
        String channelTemplate,
        String allChannel,
        String nodesChannel,
        String linkChannel,
        Duration nodeTimeout,
        int maxNodes,
        Duration pollInterval,
        Duration reconnectMin,
        Duration reconnectMax,
        int hostAddress,
        String serviceName,
        List<String> publicFunctions,
        int sendQueue,
        ReadMode readMode,
        Duration ownerTtl) {

    public static final String DEFAULT_TEMPLATE = "snap/{src}/{function}";

    public SnapBridgeConfig {
        Objects.requireNonNull(serial, "serial");
        if (codec.isBlank() || serviceName.isBlank()) {
            throw new IllegalArgumentException("snap.codec and snap.service must not be blank");
        }
        ChannelTemplate.validate(channelTemplate);
        if (nodesChannel.isBlank() || linkChannel.isBlank()) {
            throw new IllegalArgumentException("snap.nodes.channel and snap.link.channel must not be blank");
        }
        positive("snap.node.timeout", nodeTimeout);
        positive("snap.poll.interval", pollInterval);
        positive("snap.reconnect.min", reconnectMin);
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("snap.reconnect.max must be at least snap.reconnect.min");
        }
        if (maxNodes < 1 || sendQueue < 1) {
            throw new IllegalArgumentException("snap.max.nodes and snap.send.queue must be positive");
        }
        if (hostAddress < 0 || hostAddress > 0xFFFFFF) {
            throw new IllegalArgumentException("snap.host.address must be 3 bytes");
        }
        publicFunctions = List.copyOf(publicFunctions);
        Objects.requireNonNull(readMode, "readMode");
        if (ownerTtl.compareTo(Duration.ofMillis(300)) < 0) {
            throw new IllegalArgumentException("snap.owner.ttl must be at least 300ms, was " + ownerTtl);
        }
    }

    /** Defaults for {@code serial}, as documented. */
    public static SnapBridgeConfig defaults(SerialSettings serial) {
        return new SnapBridgeConfig(serial, "snapb1", DEFAULT_TEMPLATE, "snap/all", "snap/nodes", "snap/link",
                Duration.ofSeconds(60), 1024, Duration.ofMillis(5), Duration.ofMillis(500), Duration.ofSeconds(10),
                0x000020, "snap", List.of(), 64, ReadMode.AUTO, Duration.ofSeconds(10));
    }

    /** This configuration with another read mode. */
    public SnapBridgeConfig withReadMode(ReadMode mode) {
        return new SnapBridgeConfig(serial, codec, channelTemplate, allChannel, nodesChannel, linkChannel, nodeTimeout,
                maxNodes, pollInterval, reconnectMin, reconnectMax, hostAddress, serviceName, publicFunctions,
                sendQueue, mode, ownerTtl);
    }

    /** This configuration with other functions public clients may call. */
    public SnapBridgeConfig withPublicFunctions(List<String> functions) {
        return new SnapBridgeConfig(serial, codec, channelTemplate, allChannel, nodesChannel, linkChannel, nodeTimeout,
                maxNodes, pollInterval, reconnectMin, reconnectMax, hostAddress, serviceName, List.copyOf(functions),
                sendQueue, readMode, ownerTtl);
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
    }
}
