package io.squall.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.squall.api.JsonKey;
import io.squall.core.loop.Cancellable;
import io.squall.core.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's Redis clients and connections, per mode: which command connection and which pub/sub connection
 * serve a channel. Standalone and client-side sharding: one command and one pub/sub connection per Redis. Cluster:
 * one cluster command connection (Lettuce routes by slot) and one sharded pub/sub connection per partition in use,
 * to the master owning that partition's slot, found again at every rebuild.
 */
final class RedisConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);
    /** how often each command connection checks that Redis answers (availability, readiness) */
    private static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    final RedisConfig config;
    final ChannelNames names;
    final EventLoop loop;
    final RedisMetrics metrics;
    private final ClientResources resources;
    private final List<RedisURI> uris;
    private final List<RedisClient> clients = new ArrayList<>();
    private final RedisClusterClient clusterClient;
    private final RedisClient pubSubClient;
    private final List<CommandLink<?>> commandLinks = new ArrayList<>();
    /** loop-owned */
    private final List<PubSubLink> links = new ArrayList<>();
    private final Cancellable probeTimer;
    private final Cancellable pingTimer;
    private volatile CompletableFuture<Void> shutdown = CompletableFuture.completedFuture(null);

    RedisConnections(RedisConfig config, EventLoop loop, RedisMetrics metrics) {
        this.config = config;
        this.names = new ChannelNames(config.keyPrefix(), config.partitions());
        this.loop = loop;
        this.metrics = metrics;
        this.uris = config.uris();
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        Duration timeout = config.commandTimeout();
        SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
        if (config.mode() == RedisConfig.Mode.CLUSTER) {
            clusterClient = RedisClusterClient.create(resources, uris);
            // node connections open lazily and would reject their first command: queue it, the timeout bounds it
            clusterClient.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .build())
                    .build());
            commandLinks.add(new CommandLink<StatefulRedisClusterConnection<String, String>>("cluster",
                    // connectAsync needs the topology loaded first (connect() does it itself)
                    () -> clusterClient.refreshPartitionsAsync()
                            .thenCompose(loaded -> clusterClient.connectAsync(StringCodec.UTF8)),
                    StatefulRedisClusterConnection::async, resources));
        } else {
            clusterClient = null;
            for (RedisURI uri : uris) {
                RedisClient client = RedisClient.create(resources);
                client.setOptions(ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(socket)
                        .timeoutOptions(timeouts)
                        .build());
                clients.add(client);
                commandLinks.add(new CommandLink<StatefulRedisConnection<String, String>>(display(uri),
                        () -> client.connectAsync(StringCodec.UTF8, uri), StatefulRedisConnection::async, resources));
            }
        }
        // Squall rebuilds pub/sub connections itself (resubscribe across slots, probes, interruption events)
        pubSubClient = RedisClient.create(resources);
        pubSubClient.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .socketOptions(socket)
                .timeoutOptions(timeouts)
                .build());
        pubSubClient.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                loop.executeCritical(() -> links.forEach(link -> link.lost(connection)));
            }
        });
        commandLinks.forEach(CommandLink::start);
        Duration check = Duration.ofNanos(Math.max(Duration.ofMillis(10).toNanos(), config.probeInterval().toNanos() / 4));
        probeTimer = loop.scheduleAtFixedRate(check, check, () -> links.forEach(PubSubLink::checkAlive));
        pingTimer = loop.scheduleAtFixedRate(PING_INTERVAL, PING_INTERVAL, () -> commandLinks.forEach(CommandLink::ping));
    }

    boolean cluster() {
        return clusterClient != null;
    }

    boolean connected() {
        return commandLinks.stream().allMatch(CommandLink::connected);
    }

    /** Some Redis missed its latest PINGs: calls to it are refused unsent. */
    boolean stalled() {
        return commandLinks.stream().anyMatch(CommandLink::stalled);
    }

    /** Which Redis (shard) holds the channel: always 0 but in client-side sharding. */
    int shard(JsonKey channel) {
        return commandLinks.size() == 1 ? 0 : ChannelNames.jump(ChannelNames.fnv1a64(channel.canonicalText()),
                commandLinks.size());
    }

    int shards() {
        return commandLinks.size();
    }

    /** Commands for the channel's Redis, or BrokerUnavailableException at once. */
    RedisClusterAsyncCommands<String, String> commands(JsonKey channel) {
        return commandLinks.get(shard(channel)).commands();
    }

    RedisClusterAsyncCommands<String, String> commands(int shard) {
        return commandLinks.get(shard).commands();
    }

    /**
     * A new pub/sub connection (not connected yet) for the channels of {@code partition} (cluster) or of shard
     * {@code shard} (otherwise); {@code classic} forces SUBSCRIBE even in a cluster (the control channel);
     * {@code probeTag} tells apart the probes of links of one partition that serve different brokers.
     */
    PubSubLink newLink(String name, String probeTag, int partition, int shard, boolean classic, PubSubLink.Sink sink,
            Runnable onRebuilt) {
        boolean sharded = cluster() && !classic;
        String probe = names.probe(cluster() ? partition : shard, config.nodeId() + (classic ? ".control" : "")
                + (probeTag.isEmpty() ? "" : "." + probeTag));
        PubSubLink link = new PubSubLink(name, loop, pubSubClient, () -> target(partition, shard), sharded, probe,
                channel -> publish(shard, channel, "probe", sharded), sink, onRebuilt, metrics,
                config.probeInterval());
        links.add(link);
        return link;
    }

    /** PUBLISH (or SPUBLISH) without history: nothing to keep, so no script. */
    CompletionStage<Long> publish(int shard, String channel, String message, boolean sharded) {
        RedisClusterAsyncCommands<String, String> redis = commands(shard);
        return sharded ? redis.spublish(channel, message) : redis.publish(channel, message);
    }

    private CompletionStage<RedisURI> target(int partition, int shard) {
        if (!cluster()) {
            return CompletableFuture.completedFuture(uris.get(shard));
        }
        int slot = SlotHash.getSlot(names.tag(partition));
        return clusterClient.refreshPartitionsAsync().thenApply(ignored -> {
            RedisClusterNode owner = clusterClient.getPartitions().getMasterBySlot(slot);
            if (owner == null) {
                throw new IllegalStateException("no cluster master owns slot " + slot);
            }
            return withCredentials(owner.getUri());
        });
    }

    private RedisURI withCredentials(RedisURI node) {
        RedisURI seed = uris.get(0);
        RedisURI uri = RedisURI.create(node.getHost(), node.getPort());
        uri.setCredentialsProvider(seed.getCredentialsProvider());
        uri.setSsl(seed.isSsl());
        uri.setVerifyPeer(seed.getVerifyMode());
        return uri;
    }

    private static String display(RedisURI uri) {
        return uri.getSentinels().isEmpty() ? uri.getHost() + ":" + uri.getPort() : "sentinel " + uri.getSentinelMasterId();
    }

    /**
     * Closes everything, from any thread: {@code onLoop} (the users of these connections) and the pub/sub
     * connections on the loop, then the clients. Off the loop it waits (up to 5 s each) for the connections to close
     * and the clients to release their threads; on the loop it does not wait.
     */
    void closeAll(Runnable onLoop) {
        CompletableFuture<Void> linksClosed = new CompletableFuture<>();
        Runnable closeOnLoop = () -> {
            onLoop.run();
            closeLinks().whenComplete((ignored, failure) -> linksClosed.complete(null));
        };
        if (loop.inLoop()) {
            closeOnLoop.run();
            linksClosed.thenRun(this::close);
            return;
        }
        loop.executeCritical(closeOnLoop);
        await(linksClosed, "pub/sub connections not closed");
        close();
        await(shutdown, "clients not shut down");
    }

    private static void await(CompletableFuture<Void> done, String otherwise) {
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("redis: {} within 5 s ({})", otherwise, e.toString());
        }
    }

    /** Call on the loop: stops the pub/sub connections and the probe timer; completes once they are closed. */
    private CompletableFuture<Void> closeLinks() {
        probeTimer.cancel();
        pingTimer.cancel();
        links.forEach(PubSubLink::close);
        CompletableFuture<?>[] closing = links.stream().map(PubSubLink::closed).toArray(CompletableFuture[]::new);
        links.clear();
        return CompletableFuture.allOf(closing);
    }

    /** Closes the command connections and starts shutting the clients down; from any thread. */
    @Override
    public void close() {
        commandLinks.forEach(CommandLink::close);
        List<CompletableFuture<Void>> shutdowns = new ArrayList<>();
        shutdowns.add(pubSubClient.shutdownAsync(0, 2, TimeUnit.SECONDS));
        clients.forEach(client -> shutdowns.add(client.shutdownAsync(0, 2, TimeUnit.SECONDS)));
        if (clusterClient != null) {
            shutdowns.add(clusterClient.shutdownAsync(0, 2, TimeUnit.SECONDS));
        }
        shutdown = CompletableFuture.allOf(shutdowns.toArray(CompletableFuture[]::new))
                .handle((ignored, failure) -> null)
                .thenCompose(ignored -> {
                    CompletableFuture<Void> released = new CompletableFuture<>();
                    resources.shutdown(0, 2, TimeUnit.SECONDS).addListener(future -> released.complete(null));
                    return released;
                });
    }

}
